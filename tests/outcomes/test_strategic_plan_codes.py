"""Reading Strategic Plan areas and SDG goals from codes and from free text."""

from __future__ import annotations

import pytest

from portal.outcomes import strategic_plan as sp


@pytest.mark.parametrize(
    ("code", "area"),
    [
        ("D1", "D1"),
        ("d1", "D1"),
        (" O3 ", "O3"),
        ("D_4", "D4"),
        ("D1.2", "D1"),
        ("D01", "D1"),
        ("D0", None),
        ("X1", None),
        ("15170", None),
        ("", None),
        (None, None),
        ("D1 and D2", None),
    ],
)
def test_area_code(code, area):
    assert sp.area_code(code) == area


def test_areas_referenced_in_text():
    texts = [
        "Training (related to SP_D_1.2 : Women's leadership)",
        "Shelters (related to sp_d_3.1: services) and SP-O-2.1",
        "SP_D_0.1 is not an area; ASP_D_2 is not a reference either",
        "",
    ]
    assert sp.areas_referenced(texts) == {"D1", "D3", "O2"}


@pytest.mark.parametrize(
    ("code", "goal"),
    [
        ("5", "5"),
        ("05", "5"),
        ("5.2", "5"),
        ("16.a", "16"),
        ("17.19", "17"),
        ("0", None),
        ("18", None),
        ("99.9", None),
        ("five", None),
        (None, None),
    ],
)
def test_sdg_goal(code, goal):
    assert sp.sdg_goal(code) == goal


@pytest.mark.parametrize(
    ("kind", "vocabulary", "code", "goal"),
    [
        ("sector", "7", "5", "5"),
        ("sector", "8", "5.2", "5"),
        ("tag", "2", "16", "16"),
        ("tag", "3", "16.2", "16"),
        ("sector", "1", "15170", None),
        ("sector", "2", "5", None),
        ("tag", "7", "5", None),
        ("sector", "99", "D1", None),
    ],
)
def test_sdg_goal_of_classification(kind, vocabulary, code, goal):
    assert sp.sdg_goal_of_classification(kind, vocabulary, code) == goal


def test_area_labels_are_neutral_and_sorted_development_first(app):
    with app.test_request_context("/en/"):
        assert sp.area_label("D1") == "Strategic Plan area D1"
        assert sp.area_short_name("O2") == "Organisational effectiveness output 2"
        assert sp.area_label("D7") == "Strategic Plan area D7"
        assert sp.area_short_name("D7") == "Development outcome 7"
        assert sp.sdg_label("5", {}) == "SDG 5"
        assert sp.sdg_label("5", {"5": "Goal 5. Gender equality"}) == "Goal 5. Gender equality"
    assert sorted(["O1", "D10", "D2", "O3", "D1"], key=sp.area_sort_key) == [
        "D1",
        "D2",
        "D10",
        "O1",
        "O3",
    ]
