"""Results & Resources, Strategic Plan Contributions and the outcome page read the database a
fixed number of times, however many outcomes, outputs and indicators they show."""

from __future__ import annotations

import pytest

from countries import factories
from countries.test_query_count import statement_count

COUNTRY_REQUESTS = [
    ("/results-resources", {}),
    ("/results-resources?year=2023", {}),
    ("/results-resources", {"HX-Request": "true", "HX-Target": "panel"}),
    ("/results-resources?view=summary", {}),
    ("/strategic-plan", {}),
    ("/strategic-plan?year=2023", {}),
    ("/strategic-plan", {"HX-Request": "true", "HX-Target": "panel"}),
    ("/results-resources", {"HX-Request": "true", "HX-Target": "results-list"}),
    ("/strategic-plan?group=sdg-5", {}),
    ("/strategic-plan?group=area-D2", {"HX-Request": "true", "HX-Target": "strategic-list"}),
    ("/strategic-plan?view=summary", {"HX-Request": "true", "HX-Target": "country-view"}),
]


def two_countries(db_session) -> None:
    """A small country and a large one: more outcomes, outputs and indicators per output."""
    factories.country_with_results(
        db_session,
        "MLI",
        "ML",
        "Mali",
        outcome_count=2,
        outputs_per_outcome=1,
        indicators_per_output=1,
    )
    factories.country_with_results(
        db_session,
        "SEN",
        "SN",
        "Senegal",
        outcome_count=9,
        outputs_per_outcome=3,
        indicators_per_output=4,
    )
    db_session.commit()


@pytest.mark.parametrize(("path", "headers"), COUNTRY_REQUESTS)
def test_country_tabs_cost_the_same_for_few_and_many_rows(client, db_session, path, headers):
    two_countries(db_session)
    few = statement_count(client, db_session, "/en/countries/MLI" + path, headers)
    many = statement_count(client, db_session, "/en/countries/SEN" + path, headers)
    assert few == many
    # The frame costs a fixed ~12 (ledger 4, every place 3, plan periods, facts…), the tab
    # its outputs, indicators and classifications: never more with more rows.
    assert few <= 16


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_the_outcome_page_costs_the_same_for_few_and_many_rows(client, db_session, headers):
    two_countries(db_session)
    few = statement_count(client, db_session, "/en/outcomes/XM-DAC-41146-MLI_D_1.1", headers)
    many = statement_count(client, db_session, "/en/outcomes/XM-DAC-41146-SEN_D_1.9", headers)
    assert few == many
    # one reads the data-quality findings, one the data version (Last-Modified without the
    # page cache, as in these tests)
    assert few <= 13
