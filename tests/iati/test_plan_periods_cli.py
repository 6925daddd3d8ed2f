"""`portal plan-periods` as an operator runs it: list, set, replace, clear, refuse bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.iati import queries
from portal.iati.models import ImportRun, PublisherPlanPeriod

UN_WOMEN = "XM-DAC-41146"
PUBLISHER = "XM-TEST-PLAN"


def _plan_periods(runner, *args: str):
    return runner.invoke(args=["plan-periods", *args])


def _stored(session, ref: str = PUBLISHER) -> list[tuple[int, int]]:
    rows = session.execute(
        select(PublisherPlanPeriod.first_year, PublisherPlanPeriod.last_year)
        .where(PublisherPlanPeriod.publisher_ref == ref)
        .order_by(PublisherPlanPeriod.first_year)
    )
    return [tuple(row) for row in rows]


def _version(session) -> int:
    """The newest import run's id: the data version cached pages are keyed on."""
    return queries.data_version(session).newest_import_id or 0


def _newest_run(session) -> ImportRun:
    return session.scalar(select(ImportRun).order_by(ImportRun.id.desc()).limit(1))


def test_lists_the_periods_the_migration_seeded(runner, db_session):
    version = _version(db_session)

    result = _plan_periods(runner, UN_WOMEN)

    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Plan periods of {UN_WOMEN}: 2014-2017, 2018-2021, 2022-2025, 2026-2029.\n"
    )
    assert _version(db_session) == version  # listing changes nothing


def test_a_publisher_without_periods_is_said_to_have_none(runner, db_session):
    result = _plan_periods(runner, PUBLISHER)

    assert result.exit_code == 0, result.output
    assert result.output == f"{PUBLISHER} has no plan periods.\n"


def test_set_replace_and_clear_each_move_the_data_version(runner, db_session):
    version = _version(db_session)

    result = _plan_periods(runner, PUBLISHER, "2022-2025", "2018-2021")
    assert result.exit_code == 0, result.output
    assert f"Plan periods of {PUBLISHER} set: 2018-2021, 2022-2025." in result.output
    # No import has stored this publisher yet: the operator is told, in case of a typo.
    assert f"no activities of {PUBLISHER} have been imported yet" in result.output
    assert _stored(db_session) == [(2018, 2021), (2022, 2025)]
    assert _version(db_session) > version
    run = _newest_run(db_session)
    assert run.kind == "plan-periods"
    assert run.report == f"Plan periods of {PUBLISHER}: 2018-2021, 2022-2025"
    assert run.finished_at is not None
    version = _version(db_session)

    listed = _plan_periods(runner, PUBLISHER)
    assert listed.output == f"Plan periods of {PUBLISHER}: 2018-2021, 2022-2025.\n"

    replaced = _plan_periods(runner, PUBLISHER, "2026-2029")
    assert replaced.exit_code == 0, replaced.output
    assert _stored(db_session) == [(2026, 2029)]
    assert _version(db_session) > version
    version = _version(db_session)

    again = _plan_periods(runner, PUBLISHER, "2026-2029")
    assert again.exit_code == 0, again.output
    assert f"Plan periods of {PUBLISHER} unchanged: 2026-2029." in again.output
    assert _version(db_session) == version  # nothing changed, pages stay cached

    cleared = _plan_periods(runner, PUBLISHER, "--clear")
    assert cleared.exit_code == 0, cleared.output
    assert cleared.output.startswith(f"Removed 1 plan periods of {PUBLISHER}.")
    assert _stored(db_session) == []
    assert _version(db_session) > version
    assert _newest_run(db_session).report == f"Plan periods of {PUBLISHER}: none"
    # Other publishers' periods are left alone throughout.
    assert len(_stored(db_session, UN_WOMEN)) == 4


def test_replacing_a_known_publishers_periods_needs_no_note(runner, db_session, unwomen_data):
    result = _plan_periods(runner, UN_WOMEN, "2018-2021", "2022-2025")

    assert result.exit_code == 0, result.output
    assert result.output == f"Plan periods of {UN_WOMEN} set: 2018-2021, 2022-2025.\n"
    assert _stored(db_session, UN_WOMEN) == [(2018, 2021), (2022, 2025)]


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["2018-21"], '"2018-21" is not a period written YYYY-YYYY.'),
        (["2018/2021"], '"2018/2021" is not a period written YYYY-YYYY.'),
        (["2018-2021", "twenty"], '"twenty" is not a period written YYYY-YYYY.'),
        (["2021-2018"], "2021-2018: the first year is after the last year."),
        (["1899-1902"], "1899-1902: years must be from 1900 to 2100."),
        (["2099-2101"], "2099-2101: years must be from 1900 to 2100."),
        (["2018-2021", "2021-2024"], "2018-2021 and 2021-2024 overlap."),
        (["2018-2021", "2018-2021"], "2018-2021 and 2018-2021 overlap."),
        (["--clear", "2018-2021"], "Give periods or --clear, not both."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(runner, db_session, arguments, problem):
    assert _plan_periods(runner, PUBLISHER, "2010-2013").exit_code == 0
    version = _version(db_session)
    rows = db_session.scalar(select(func.count()).select_from(PublisherPlanPeriod))

    result = _plan_periods(runner, PUBLISHER, *arguments)

    assert result.exit_code != 0
    assert problem in result.output
    assert "Nothing was changed." in result.output
    assert _stored(db_session) == [(2010, 2013)]
    assert db_session.scalar(select(func.count()).select_from(PublisherPlanPeriod)) == rows
    assert _version(db_session) == version


def test_clearing_a_publisher_without_periods_changes_nothing(runner, db_session):
    version = _version(db_session)

    result = _plan_periods(runner, PUBLISHER, "--clear")

    assert result.exit_code == 0, result.output
    assert result.output == f"Removed 0 plan periods of {PUBLISHER}.\n"
    assert _version(db_session) == version
