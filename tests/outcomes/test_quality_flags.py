"""Issue 15, point 2: a finding is flagged beside the value it is about, on the outcome page,
in every language; the publisher's value stays as published. No flag where nothing is found."""

from __future__ import annotations

import pytest

from iati.test_data_findings import GOOD_PERIOD, PERIOD, RESULT, _activity, _import
from outcomes.reading import soup_of

SAMPLE = "XM-EXAMPLE-ORG-"
PLACEHOLDER_FLAG = {
    "en": "Looks like a placeholder",
    "fr": "Ressemble à un texte provisoire",
    "es": "Parece un texto provisional",
}
NO_VALUES_FLAG = {"en": "No values", "fr": "Aucune valeur", "es": "Sin valores"}


def _flags(element) -> list[tuple[str, str]]:
    """(summary, message) of each flag inside `element`, the hidden prefix left out."""
    flags = []
    for details in element.select("details.quality-flag"):
        summary = details.summary
        hidden = summary.select_one(".visually-hidden")
        prefix = hidden.get_text() if hidden else ""
        flags.append((summary.get_text().removeprefix(prefix).strip(), details.p.get_text()))
    return flags


@pytest.mark.parametrize("lang", sorted(PLACEHOLDER_FLAG))
def test_a_placeholder_output_description_is_flagged_on_its_output(client, sample_data, lang):
    page = soup_of(client.get(f"/{lang}/outcomes/{SAMPLE}SEN_D_2.1"))
    flagged = [output for output in page.select(".output") if output.select(".quality-flag")]
    assert flagged
    for output in flagged:
        assert "Lorem ipsum dolor sit amet." in output.get_text()  # shown as published
        summary, message = _flags(output)[0]
        assert summary == PLACEHOLDER_FLAG[lang]
        assert "Lorem ipsum dolor sit amet." in message


@pytest.mark.parametrize("lang", sorted(NO_VALUES_FLAG))
def test_an_indicator_without_values_is_flagged_on_the_indicator(client, sample_data, lang):
    page = soup_of(client.get(f"/{lang}/outcomes/{SAMPLE}MLI_O_2.1"))
    flagged = [item for item in page.select(".indicator") if item.select(".quality-flag")]
    assert len(flagged) == 1
    assert [summary for summary, _m in _flags(flagged[0])] == [NO_VALUES_FLAG[lang]]


def test_an_outcome_without_findings_has_no_flag(client, sample_data):
    page = soup_of(client.get(f"/en/outcomes/{SAMPLE}MLI_D_1.1"))
    assert page.select(".quality-flag") == []


def test_an_actual_without_target_is_flagged_in_its_period(client, db_session, tmp_path):
    no_target = PERIOD.format(target="", actual='<actual value="8"/>')
    result = RESULT.format(title="Schools built", indicator="Schools", values=no_target)
    _import(db_session, tmp_path, _activity(result=result))
    page = soup_of(client.get("/en/outcomes/XM-TEST-1"))
    cells = [cell for cell in page.select(".indicator__periods td") if cell.select(".quality-flag")]
    assert len(cells) == 1
    assert cells[0].get_text().strip().startswith("8")
    assert _flags(cells[0]) == [
        (
            "Actual without target",
            "An actual value of 8 was reported without a target for its period.",
        )
    ]


def test_an_activity_level_finding_is_flagged_under_the_title(client, db_session, tmp_path):
    recipients = (
        '<recipient-country code="ML" percentage="60"/>'
        '<recipient-country code="SN" percentage="60"/>'
    )
    result = RESULT.format(title="Schools built", indicator="Schools", values=GOOD_PERIOD)
    _import(db_session, tmp_path, _activity(recipients=recipients, result=result))
    page = soup_of(client.get("/en/outcomes/XM-TEST-1"))
    header = page.select_one(".outcome-header")
    assert _flags(header) == [
        (
            "Shares do not add up",
            "The recipient countries' and regions' shares add up to 120 %, not 100 %.",
        )
    ]


@pytest.mark.parametrize("tab", ["", "progress"])
def test_country_lists_flag_what_looks_wrong_in_an_activity_beside_its_title(
    client, db_session, tmp_path, tab
):
    recipients = (
        '<recipient-country code="ML" percentage="60"/>'
        '<recipient-country code="SN" percentage="60"/>'
    )
    result = RESULT.format(title="Schools built", indicator="Schools", values=GOOD_PERIOD)
    activity = _activity(title="TBD", recipients=recipients, result=result)
    _import(db_session, tmp_path, activity)
    for iso3 in ("MLI", "SEN"):
        page = soup_of(client.get(f"/en/countries/{iso3}/{tab}?year=2023"))
        items = [
            item
            for item in page.select(".outcome-list li, .outcome-progress__item")
            if "XM-TEST-1" in item.get_text()
        ]
        assert len(items) == 1
        assert [summary for summary, _m in _flags(items[0])] == [
            "Looks like a placeholder",
            "Shares do not add up",
        ]


def test_country_lists_show_no_flag_for_a_clean_activity(client, db_session, tmp_path):
    result = RESULT.format(title="Schools built", indicator="Schools", values=GOOD_PERIOD)
    _import(db_session, tmp_path, _activity(result=result))
    for tab in ("", "progress"):
        page = soup_of(client.get(f"/en/countries/MLI/{tab}?year=2023"))
        assert "XM-TEST-1" in page.get_text()
        assert page.select(".quality-flag") == []
