"""A country page reads the database a fixed number of times, however many outcomes it shows.

Two countries in one database, one with 11 outcomes and one with 30 (each with narratives,
budgets, transactions and funders): every tab, every page of its list and every HTMX fragment
must cost both the same number of SQL statements. A list's last page shows fewer rows for the
first than for the second, so a read per row shown would show too.
"""

from __future__ import annotations

import contextlib

import pytest
from flask import g
from sqlalchemy import event
from sqlalchemy.engine import Engine

from countries import factories

REQUESTS = [
    ("/", {}),
    ("/?view=summary", {}),
    ("/?year=2023", {}),
    ("/results-resources", {}),
    ("/progress", {}),
    ("/progress?view=summary&year=2023", {}),
    ("/strategic-plan", {}),
    ("/progress?year=2024", {"HX-Request": "true"}),
    ("/progress", {"HX-Request": "true", "HX-Target": "progress-list"}),
    ("/progress", {"HX-Request": "true", "HX-Target": "panel"}),
    ("/?view=summary", {"HX-Request": "true", "HX-Target": "country-view"}),
    ("/", {"HX-Request": "true", "HX-Target": "country-page"}),
    ("/?year=2019", {}),
    # The tabs' lists, a page at a time (twenty, five, five and ten rows a page).
    ("/", {"HX-Request": "true", "HX-Target": "outcome-list"}),
    ("/results-resources?page=3", {}),
    ("/results-resources?view=summary&page=2", {"HX-Request": "true", "HX-Target": "results-list"}),
    ("/progress?page=3", {}),
    ("/strategic-plan?page=2", {}),
    ("/strategic-plan?group=area-none&page=2", {}),
    ("/strategic-plan?page=2", {"HX-Request": "true", "HX-Target": "strategic-list"}),
    ("/strategic-plan?view=summary", {"HX-Request": "true", "HX-Target": "country-view"}),
]


@contextlib.contextmanager
def counted_statements():
    """Statements run on any engine (an app made by a test has its own)."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def statement_count(client, db_session, path: str, headers: dict[str, str]) -> int:
    db_session.expunge_all()  # nothing served from the identity map: count what a visit costs
    g.pop("dataset_is_sample", None)  # the tests' app context outlives a request; a visit's not
    with counted_statements() as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return len(statements)


@pytest.mark.parametrize(("path", "headers"), REQUESTS)
def test_query_count_does_not_grow_with_outcomes(client, db_session, path, headers):
    factories.country_with_outcomes(db_session, "MLI", "ML", "Mali", outcome_count=11)
    factories.country_with_outcomes(db_session, "SEN", "SN", "Senegal", outcome_count=30)
    db_session.commit()

    few = statement_count(client, db_session, "/en/countries/MLI" + path, headers)
    many = statement_count(client, db_session, "/en/countries/SEN" + path, headers)

    assert few == many
    # A fixed few reads, whatever the tab: the place's ledger (4), every place for the
    # chooser (3), the publishers' plan periods, the facts, the tab's own rows.
    assert few <= 15


def test_index_query_count_does_not_grow_with_countries_or_outcomes(client, db_session):
    factories.country_with_outcomes(db_session, "MLI", "ML", "Mali", outcome_count=3)
    db_session.commit()
    few = statement_count(client, db_session, "/en/countries/", {})
    factories.country_with_outcomes(db_session, "SEN", "SN", "Senegal", outcome_count=12)
    factories.country_with_outcomes(db_session, "NER", "NE", "Niger", outcome_count=5)
    db_session.commit()
    many = statement_count(client, db_session, "/en/countries/", {})
    assert few == many
