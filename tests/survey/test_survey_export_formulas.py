"""The operator's CSV export guards respondents' text as the downloads do: a formula disguised
behind full-width characters, invisible characters or white space stays text."""

from __future__ import annotations

import csv
import io

import pytest

from downloads.test_formula_injection import DISGUISED_FORMULAS, PLAIN_TEXTS
from survey.factories import add_response


def _exported_ideas(runner) -> list[str]:
    result = runner.invoke(args=["survey-export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    return [row["ideas"] for row in csv.DictReader(io.StringIO(result.output, newline=""))]


@pytest.mark.parametrize("case", DISGUISED_FORMULAS)
def test_a_disguised_formula_gets_the_apostrophe(runner, db_session, case):
    add_response(db_session, ideas={"ideas": DISGUISED_FORMULAS[case]})
    assert _exported_ideas(runner) == ["'" + DISGUISED_FORMULAS[case]]


@pytest.mark.parametrize("case", PLAIN_TEXTS)
def test_plain_text_is_exported_as_it_is(runner, db_session, case):
    add_response(db_session, ideas={"ideas": PLAIN_TEXTS[case]})
    assert _exported_ideas(runner) == [PLAIN_TEXTS[case]]
