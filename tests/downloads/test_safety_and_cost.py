"""Published text cannot run as a spreadsheet formula, and a download costs a fixed number of
queries however many outcomes it holds."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from countries import factories
from countries.test_query_count import counted_statements
from downloads.reading import FORMATS

FORMULA = '=HYPERLINK("http://example.org","Click")'


def test_text_that_looks_like_a_formula_stays_text(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=3)
    made.outcomes[0].title = factories.Narratives({"en": FORMULA})
    made.outcomes[1].title = factories.Narratives({"en": "-1 women, +2 girls"})
    made.outcomes[2].title = factories.Narratives({"en": "@SUM(A1:A2)"})
    db_session.flush()

    body = client.get("/en/countries/MLI/progress.csv?year=2023").get_data(as_text=True)
    assert "\r\nMLI,Mali,,,2023,2022-2025,XM-DAC-41146-MLI_D_1.1,\"'=HYPERLINK(" in body
    assert ',"\'-1 women, +2 girls",' in body
    assert ",'@SUM(A1:A2)," in body

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/en/countries/MLI/progress.xlsx?year=2023").get_data())
    )
    title_column = [cell.value for cell in workbook.worksheets[0][1]].index("title") + 1
    cell = workbook.worksheets[0].cell(row=2, column=title_column)
    assert (cell.value, cell.data_type) == (FORMULA, "s")  # a string cell, not a formula

    document = json.loads(client.get("/en/countries/MLI/progress.json?year=2023").get_data())
    assert [row["title"] for row in document["rows"]] == [
        FORMULA,
        "-1 women, +2 girls",
        "@SUM(A1:A2)",
    ]


def test_numbers_are_not_guarded_as_text(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=1)
    body = client.get("/en/countries/MLI/overview.csv?year=2024").get_data(as_text=True)
    header, outcome, total = csv.reader(io.StringIO(body, newline=""))
    money = ["currency", "share", "budget", "spending", "disbursement", "expenditure"]
    columns = [header.index(name) for name in money]
    # The cells as written (no "'" guard before a number), for the outcome and its total.
    assert [outcome[index] for index in columns] == [
        "USD",
        "1.0000",
        "100000.00",
        "60000.00",
        "",
        "60000.00",
    ]
    assert [total[index] for index in columns] == [
        "USD",
        "",
        "100000.00",
        "60000.00",
        "",
        "60000.00",
    ]
    assert (outcome[header.index("record")], total[header.index("record")]) == ("outcome", "total")


VIEWS = ("overview", "results-resources", "progress", "strategic-plan")
DOWNLOADS = [f"{view}.{file_format}" for view in VIEWS for file_format in FORMATS]


@pytest.mark.parametrize("path", [*DOWNLOADS, "activities.xml"])
def test_a_download_costs_the_same_queries_for_3_or_12_outcomes(client, db_session, path):
    factories.country_with_outcomes(db_session, "SEN", "SN", "Senegal", outcome_count=3)
    factories.country_with_outcomes(db_session, "NER", "NE", "Niger", outcome_count=12)

    counts = []
    for iso3 in ("SEN", "NER"):
        db_session.expunge_all()  # nothing from the identity map: count what a download costs
        with counted_statements() as statements:
            response = client.get(f"/en/countries/{iso3}/{path}?year=2024")
            assert response.status_code == 200
            assert response.get_data()  # streamed files read their rows while being sent
        counts.append(len(statements))

    assert counts[0] == counts[1]
