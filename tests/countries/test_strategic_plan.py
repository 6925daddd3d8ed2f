"""Strategic Plan Contributions: the outcomes by Strategic Plan area and by SDG, with the
year's budget, spending (disbursements and expenditure) and outcome count per group; each
group links to the list of its outcomes (tests/countries/test_pagination.py pages through it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from countries import factories
from outcomes.reading import (
    add,
    amounts_in,
    every_outcome_item,
    every_page,
    figures_box,
    soup_of,
    spending_in,
    text_of,
)
from portal.codelists.models import CodelistEntry
from portal.config import SUPPORTED_LANGUAGES
from portal.iati.importer import import_sources
from portal.iati.narratives import Narratives
from portal.sample.operations import SAMPLE_ACTIVITIES

TAB = "/en/countries/MLI/strategic-plan"


def panel_of(client, path: str = TAB, **kwargs):
    return soup_of(client.get(path, **kwargs)).find(id="panel")


def group_rows(table) -> dict[str, dict]:
    """A group table's rows: name → outcome count, budget and spending as shown."""
    rows = {}
    for row in table.select("tbody tr"):
        count, budget, spent = row.select("td")
        rows[text_of(row.th)] = {
            "count": int(text_of(count)),
            "budget": amounts_in(budget),
            "spending": amounts_in(spent),
            "href": row.th.a["href"],
        }
    return rows


def total_row(table) -> dict:
    count, budget, spent = table.select("tfoot td")
    return {
        "count": int(text_of(count)),
        "budget": amounts_in(budget),
        "spending": amounts_in(spent),
    }


def group_section(client, href: str):
    """The group's heading and figures, and its outcomes from every page of its list."""
    pages = [page.find(id="strategic-list") for page in every_page(client, href.split("#")[0])]
    section = pages[0].select_one("section.contribution-group")
    assert section is not None, href
    return section, [item for page in pages for item in page.select(".outcome-list li")]


def assert_groups_add_up(client, panel, table):
    """Each group's figures are the sums of its outcomes' figures, shown on Results &
    Resources; the totals row counts each outcome once and equals the tab's totals."""
    year = text_of(table.caption).rsplit(", ", 1)[-1]
    resources = every_outcome_item(client, f"/en/countries/MLI/results-resources?year={year}")
    money = {
        identifier: {
            "Budget": amounts_in(figures_box(item, f"Year {year}")["Budget"]),
            "Spending": spending_in(figures_box(item, f"Year {year}")["Spending"]),
        }
        for identifier, item in resources.items()
    }
    every_outcome = set()
    for name, row in group_rows(table).items():
        _section, items = group_section(client, row["href"])
        members = [text_of(item.select_one(".identifier")) for item in items]
        assert len(members) == row["count"], name
        every_outcome.update(members)
        assert row["budget"] == add(*(money[member]["Budget"] for member in members)), name
        assert row["spending"] == add(*(money[member]["Spending"] for member in members))
    totals = total_row(table)
    assert totals["count"] == len(every_outcome) == len(resources)
    assert totals["budget"] == add(*(figures["Budget"] for figures in money.values()))
    assert totals["spending"] == add(*(figures["Spending"] for figures in money.values()))
    tab_totals = panel.find(id="sp-totals-heading").find_parent("section")
    shown = {text_of(dt): dt.find_next_sibling("dd") for dt in tab_totals.select("dt")}
    assert int(text_of(shown["Outcomes"])) == totals["count"]
    assert amounts_in(shown[f"Budget {year}"]) == totals["budget"]
    assert amounts_in(shown[f"Spending {year}"]) == totals["spending"]


def test_groups_and_totals_add_up_on_sample_like_data(client, db_session):
    factories.country_with_results(db_session, outcome_count=6)
    panel = panel_of(client)
    areas, sdgs = panel.select("table.contribution-table")
    assert_groups_add_up(client, panel, areas)
    assert_groups_add_up(client, panel, sdgs)
    # Outcomes 3 and 6 also carry the SDG target 16.2: goal 16, and still goal 5.
    rows = group_rows(sdgs)
    assert rows["SDG 5"]["count"] == 6
    assert rows["SDG 16"]["count"] == 2
    assert "2 outcomes are linked to more than one group here" in text_of(panel)


def test_groups_add_up_on_the_bundled_sample(client, db_session):
    import_sources(db_session, [SAMPLE_ACTIVITIES], is_sample=True)
    db_session.flush()
    panel = panel_of(client)
    areas, sdgs = panel.select("table.contribution-table")
    assert_groups_add_up(client, panel, areas)
    assert_groups_add_up(client, panel, sdgs)
    assert total_row(areas)["count"] == 9


def test_areas_come_from_vocabulary_99_and_from_related_to_references(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=4)
    first, second, third, fourth = made.outcomes
    factories.classification(db_session, first, "99", "D1", name={"en": "Governance"})
    output = factories.result(
        db_session,
        second,
        {"en": "Training for candidates"},
        {"en": "Mentoring (related to SP_D_1.2 : Women's leadership)"},
    )
    assert output.id
    factories.classification(db_session, second, "99", "O2")
    third.description = Narratives({"en": "Shelters (related to SP_D_3.1 : Services)"})
    factories.classification(db_session, fourth, "1", "15170")  # a DAC sector: no area
    db_session.flush()

    panel = panel_of(client)
    areas = group_rows(panel.select("table.contribution-table")[0])
    assert list(areas) == [
        "Strategic Plan area D1 · Development outcome 1",
        "Strategic Plan area D3 · Development outcome 3",
        "Strategic Plan area O2 · Organisational effectiveness output 2",
        "Not linked to a Strategic Plan area",
    ]
    assert [row["count"] for row in areas.values()] == [2, 1, 1, 1]
    d1, items = group_section(
        client, areas["Strategic Plan area D1 · Development outcome 1"]["href"]
    )
    assert "Named by the publisher: Governance" in text_of(d1)
    linked = {text_of(item.select_one(".identifier")): text_of(item) for item in items}
    assert "related to SP_" not in linked["XM-DAC-41146-MLI_D_1.1"]
    assert "linked by a “related to SP_…” reference" in linked["XM-DAC-41146-MLI_D_1.2"]
    assert "1 outcome is linked to more than one group here" in text_of(panel)


def test_sdgs_from_sector_and_tag_goals_and_targets(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=4)
    first, second, third, fourth = made.outcomes
    factories.classification(db_session, first, "7", "5")
    factories.classification(db_session, second, "2", "05", kind="tag")
    factories.classification(db_session, third, "3", "5.2", kind="tag")
    factories.classification(db_session, third, "8", "16.a")
    factories.classification(db_session, fourth, "3", "99.9", kind="tag")  # not an SDG
    db_session.flush()
    sdgs = group_rows(panel_of(client).select("table.contribution-table")[1])
    assert {name: row["count"] for name, row in sdgs.items()} == {
        "SDG 5": 3,
        "SDG 16": 1,
        "No Sustainable Development Goal published": 1,
    }


def test_sdg_names_come_from_the_iati_codelist_when_imported(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    factories.classification(db_session, made.outcomes[0], "7", "5")
    for lang, name in (
        ("en", "Goal 5. Achieve gender equality"),
        ("fr", "Objectif 5. Parvenir à l'égalité des sexes"),
    ):
        db_session.add(CodelistEntry(codelist="UNSDG-Goals", code="5", lang=lang, name=name))
    db_session.flush()
    english = group_rows(panel_of(client).select("table.contribution-table")[1])
    assert list(english) == ["Goal 5. Achieve gender equality"]
    french = soup_of(client.get("/fr/countries/MLI/strategic-plan")).find(id="panel")
    assert "Objectif 5. Parvenir à l'égalité des sexes" in text_of(french)


def test_spending_by_area_chart_matches_the_table(client, db_session):
    factories.country_with_results(db_session, outcome_count=4)
    panel = panel_of(client, f"{TAB}?year=2023")
    figure = panel.select_one("figure.chart")
    svg = figure.find("svg")
    assert svg["role"] == "img" and "Spending by Strategic Plan area, 2023" in text_of(svg)
    chart_rows = {
        text_of(row.th): amounts_in(row.td) if row.td.select("span.money") else None
        for row in figure.select("tbody tr")
    }
    table_rows = group_rows(panel.select("table.contribution-table")[0])
    assert len(chart_rows) == len(table_rows)
    for (chart_name, chart_amount), row in zip(
        chart_rows.items(), table_rows.values(), strict=True
    ):
        assert chart_name.split(" · ")[0] in row["href"] or chart_name.startswith("Not linked")
        assert chart_amount is None or chart_amount == row["spending"]


def test_group_links_lead_to_the_outcome_pages(client, db_session):
    factories.country_with_results(db_session, outcome_count=2)
    panel = panel_of(client)
    links = panel.select("#strategic-list .outcome-list li a")
    assert links
    for link in links:
        assert link["href"].startswith("/en/outcomes/XM-DAC-41146-MLI_D_")
        assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"HX-Request": "true", "HX-Target": "panel"}],
    ids=["page", "panel fragment"],
)
def test_the_tab_in_every_language_with_and_without_htmx(client, db_session, lang, headers):
    factories.country_with_results(db_session, outcome_count=3)
    response = client.get(f"/{lang}/countries/MLI/strategic-plan", headers=headers)
    page = soup_of(response)
    assert len(page.select("table.contribution-table")) == 2
    assert page.select_one("figure.chart svg[role=img]") is not None
    assert page.select_one(".provenance") is not None


def test_totals_equal_the_results_and_resources_totals(client, db_session):
    made = factories.country_with_results(db_session, outcome_count=5)
    # A disbursement counts as spending with the expenditure (5 × 60 000 in 2024).
    factories.transaction(db_session, made.outcomes[0], "3", dt.date(2024, 7, 1), "1000")
    db_session.flush()
    resources = soup_of(client.get("/en/countries/MLI/results-resources")).find(id="panel")
    year = figures_box(resources.find(id="rr-totals-heading").find_parent("section"), "Year 2024")
    areas = panel_of(client).select("table.contribution-table")[0]
    totals = total_row(areas)
    assert totals["budget"] == amounts_in(year["Budget"]) != {}
    assert totals["spending"] == spending_in(year["Spending"]) != {}
    assert totals["spending"] == {"USD": Decimal(301000)}
    assert totals["budget"]["USD"] > Decimal(0)
