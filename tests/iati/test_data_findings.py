"""Issue 15, point 1 and 5: what looks wrong in an activity is stored as a finding per record
at import (kind, record, value), and the import report names the first examples.

Each kind is found on an activity written for it and not on a clean one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from portal.codelists.models import CodelistEntry
from portal.iati.importer import import_sources
from portal.iati.models import Outcome
from portal.quality import kinds
from portal.quality.models import DataFinding

RESULT = (
    '<result type="1"><title><narrative>{title}</narrative></title>'
    '<indicator measure="1"><title><narrative>{indicator}</narrative></title>{values}'
    "</indicator></result>"
)
PERIOD = (
    '<period><period-start iso-date="2022-01-01"/><period-end iso-date="2022-12-31"/>'
    "{target}{actual}</period>"
)
GOOD_PERIOD = PERIOD.format(target='<target value="10"/>', actual='<actual value="8"/>')
GOOD_RESULT = RESULT.format(title="Schools built", indicator="Schools", values=GOOD_PERIOD)
GOOD_BUDGET = (
    '<budget type="1" status="1"><period-start iso-date="2022-01-01"/>'
    '<period-end iso-date="2022-12-31"/><value value-date="2022-01-01">1000</value></budget>'
)
GOOD_TRANSACTION = (
    '<transaction><transaction-type code="4"/><transaction-date iso-date="2022-06-30"/>'
    '<value value-date="2022-06-30">500</value></transaction>'
)
GOOD_RECIPIENTS = '<recipient-country code="ML" percentage="100"/>'


def _from_provider(ref: str, *names: str, langs: tuple[str, ...] = ()) -> str:
    """Incoming funds from a provider-org with these names (in these languages if given)."""
    narratives = "".join(
        f'<narrative xml:lang="{lang}">{name}</narrative>'
        if lang
        else f"<narrative>{name}</narrative>"
        for name, lang in zip(names, langs or ("",) * len(names), strict=True)
    )
    return (
        '<transaction><transaction-type code="1"/><transaction-date iso-date="2022-03-01"/>'
        f'<value value-date="2022-03-01">100</value><provider-org ref="{ref}">{narratives}'
        "</provider-org></transaction>"
    )


def _activity(
    *,
    title: str = "Girls finish secondary school",
    recipients: str = GOOD_RECIPIENTS,
    budget: str = GOOD_BUDGET,
    transaction: str = GOOD_TRANSACTION,
    result: str = GOOD_RESULT,
    lang: str | None = "en",
    identifier: str = "XM-TEST-1",
) -> str:
    declared = f' xml:lang="{lang}"' if lang else ""
    return (
        f'<iati-activity default-currency="USD"{declared}>'
        f"<iati-identifier>{identifier}</iati-identifier>"
        '<reporting-org ref="XM-TEST" type="40"><narrative>Test</narrative></reporting-org>'
        f"<title><narrative>{title}</narrative></title>"
        '<activity-date iso-date="2022-01-01" type="2"/>'
        '<activity-date iso-date="2023-12-31" type="3"/>'
        f"{recipients}{budget}{transaction}{result}</iati-activity>"
    )


def _import(db_session, tmp_path: Path, activity: str, root_lang: str | None = None):
    path = tmp_path / "activities.xml"
    declared = f' xml:lang="{root_lang}"' if root_lang else ""
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03"{declared}>'
        f"{activity}</iati-activities>\n",
        encoding="utf-8",
    )
    report = import_sources(db_session, [path])
    db_session.flush()
    return report


def _findings(db_session) -> list[tuple[str, str, str | None]]:
    return sorted(
        db_session.execute(select(DataFinding.kind, DataFinding.record, DataFinding.value)).all()
    )


CASES = {
    "placeholder title": (
        {"title": "(OUTCOME TO BE DELECTED)"},
        (kinds.PLACEHOLDER_TEXT, "activity", "(OUTCOME TO BE DELECTED)"),
    ),
    "lorem ipsum result": (
        {
            "result": RESULT.format(
                title="Lorem ipsum dolor.", indicator="Schools", values=GOOD_PERIOD
            )
        },
        (kinds.PLACEHOLDER_TEXT, "result", "Lorem ipsum dolor."),
    ),
    "n/a indicator": (
        {"result": RESULT.format(title="Schools built", indicator="N/A", values=GOOD_PERIOD)},
        (kinds.PLACEHOLDER_TEXT, "indicator", "N/A"),
    ),
    "tbd actual comment": (
        {
            "result": RESULT.format(
                title="Schools built",
                indicator="Schools",
                values=PERIOD.format(
                    target='<target value="10"/>',
                    actual='<actual value="8"><comment><narrative>TBD</narrative></comment>'
                    "</actual>",
                ),
            )
        },
        (kinds.PLACEHOLDER_TEXT, "indicator period", "TBD"),
    ),
    "negative budget": (
        {"budget": GOOD_BUDGET.replace(">1000<", ">-250<")},
        (kinds.BUDGET_NOT_ABOVE_ZERO, "budget", "-250.00 USD"),
    ),
    "zero budget": (
        {"budget": GOOD_BUDGET.replace(">1000<", ">0<")},
        (kinds.BUDGET_NOT_ABOVE_ZERO, "budget", "0.00 USD"),
    ),
    "two-year budget": (
        {"budget": GOOD_BUDGET.replace("2022-12-31", "2023-12-31")},
        (kinds.BUDGET_LONGER_THAN_A_YEAR, "budget", "2022-01-01 – 2023-12-31"),
    ),
    "transaction years before the start": (
        {"transaction": GOOD_TRANSACTION.replace("2022-06-30", "2019-06-30")},
        (kinds.TRANSACTION_OUTSIDE_DATES, "transaction", "2019-06-30"),
    ),
    "transaction years after the end": (
        {"transaction": GOOD_TRANSACTION.replace("2022-06-30", "2026-01-15")},
        (kinds.TRANSACTION_OUTSIDE_DATES, "transaction", "2026-01-15"),
    ),
    "indicator without values": (
        {
            "result": RESULT.format(
                title="Schools built",
                indicator="Schools",
                values=PERIOD.format(target="", actual=""),
            )
        },
        (kinds.INDICATOR_WITHOUT_VALUES, "indicator", "Schools"),
    ),
    "actual without target": (
        {
            "result": RESULT.format(
                title="Schools built",
                indicator="Schools",
                values=PERIOD.format(target="", actual='<actual value="8"/>'),
            )
        },
        (kinds.ACTUAL_WITHOUT_TARGET, "indicator period", "8"),
    ),
    "shares adding up to 120": (
        {
            "recipients": '<recipient-country code="ML" percentage="60"/>'
            '<recipient-country code="SN" percentage="60"/>'
        },
        (kinds.PERCENTAGES_NOT_100, "activity", "120"),
    ),
    "unknown country code": (
        {"recipients": '<recipient-country code="ZZ" percentage="100"/>'},
        (kinds.UNKNOWN_COUNTRY_CODE, "recipient", "ZZ"),
    ),
    "text without a language where the file declares none": (
        {"lang": None},
        (kinds.TEXT_WITHOUT_LANGUAGE, "activity", "Girls finish secondary school"),
    ),
    "a provider named differently under one ref": (
        {
            "transaction": _from_provider("XM-DAC-41114", "UNDP")
            + _from_provider("XM-DAC-41114", "United Nations Development Programme")
        },
        (
            kinds.PROVIDER_NAMED_DIFFERENTLY,
            "transaction",
            "XM-DAC-41114: “UNDP” / “United Nations Development Programme”",
        ),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_kind_is_found_on_an_activity_made_for_it(db_session, tmp_path, case):
    changes, expected = CASES[case]
    report = _import(db_session, tmp_path, _activity(**changes))
    assert _findings(db_session) == [expected]
    kind, _record, value = expected
    assert report.findings[kind].count == 1
    assert report.findings[kind].examples == [("XM-TEST-1", value)]
    assert f"XM-TEST-1 “{value}”" in report.format()


def test_a_clean_activity_has_no_findings(db_session, tmp_path):
    report = _import(db_session, tmp_path, _activity())
    assert _findings(db_session) == []
    assert report.findings == {}
    assert "Data-quality findings: none" in report.format()


def test_a_changed_activity_is_checked_again_and_its_old_findings_go(db_session, tmp_path):
    _import(db_session, tmp_path, _activity(title="TBD"))
    assert [kind for kind, _r, _v in _findings(db_session)] == [kinds.PLACEHOLDER_TEXT]
    _import(db_session, tmp_path, _activity())
    assert _findings(db_session) == []


def test_every_kind_has_a_flag_a_message_and_a_rule():
    for kind in kinds.KINDS.values():
        assert str(kind.flag) and kind.rule
        assert "%(value)s" in str(kind.message)


def test_refresh_checks_every_stored_activity(db_session, tmp_path, runner):
    _import(db_session, tmp_path, _activity(title="TBD"))
    db_session.execute(DataFinding.__table__.delete())
    result = runner.invoke(args=["data-quality", "refresh"])
    assert result.exit_code == 0, result.output
    assert "XM-TEST-1 “TBD”" in result.output
    outcome_id = db_session.scalar(select(Outcome.id))
    assert db_session.execute(select(DataFinding.outcome_id, DataFinding.kind)).all() == [
        (outcome_id, kinds.PLACEHOLDER_TEXT)
    ]


def test_text_without_a_language_is_not_found_where_the_file_declares_one(db_session, tmp_path):
    _import(db_session, tmp_path, _activity(lang=None), root_lang="fr")
    assert _findings(db_session) == []
    outcome = db_session.scalar(select(Outcome))
    assert outcome.default_lang == "fr" and "fr" in outcome.title


def test_every_text_in_a_language_is_enough_where_the_file_declares_none(db_session, tmp_path):
    declared = _activity(lang=None).replace("<narrative>", '<narrative xml:lang="en">')
    _import(db_session, tmp_path, declared)
    assert _findings(db_session) == []
    one_left = declared.replace(
        '<narrative xml:lang="en">Schools built', "<narrative>Schools built"
    )
    _import(db_session, tmp_path, one_left)
    assert _findings(db_session) == [(kinds.TEXT_WITHOUT_LANGUAGE, "activity", "Schools built")]


def test_a_provider_is_compared_across_the_publishers_activities(db_session, tmp_path):
    first = _activity(transaction=_from_provider("AU-5", "Australian DFAT"))
    second = _activity(
        identifier="XM-TEST-2", transaction=_from_provider("AU-5", "Government of Australia")
    )
    _import(db_session, tmp_path, first + second)
    value = "AU-5: “Australian DFAT” / “Government of Australia”"
    assert _findings(db_session) == [
        (kinds.PROVIDER_NAMED_DIFFERENTLY, "transaction", value),
        (kinds.PROVIDER_NAMED_DIFFERENTLY, "transaction", value),
    ]


@pytest.mark.parametrize(
    "transactions",
    [
        _from_provider("XM-DAC-41114", "UNDP") + _from_provider("XM-DAC-41114", "UNDP"),
        _from_provider("XM-DAC-41114", "UNDP") + _from_provider("XM-DAC-41114", "  undp "),
        _from_provider("XM-DAC-41114", "UNDP", "PNUD", langs=("en", "fr")),
        _from_provider("XM-DAC-41114", "UNDP") + _from_provider("XM-DAC-41122", "UNICEF"),
    ],
    ids=["same name", "case and spacing", "one name per language", "two refs"],
)
def test_a_provider_named_alike_is_not_found(db_session, tmp_path, transactions):
    _import(db_session, tmp_path, _activity(transaction=transactions))
    assert _findings(db_session) == []


def _region_codelist(db_session) -> None:
    db_session.add_all(
        CodelistEntry(codelist="Region", code=code, lang="en", name=name)
        for code, name in (("298", "Africa, regional"), ("998", "Developing countries"))
    )
    db_session.flush()


def test_an_unknown_region_code_is_found_with_its_published_name(db_session, tmp_path):
    _region_codelist(db_session)
    recipients = (
        '<recipient-region code="298" percentage="50"/>'
        '<recipient-region code="299" vocabulary="1" percentage="30">'
        "<narrative>Somewhere, regional</narrative></recipient-region>"
        '<recipient-region code="X1" vocabulary="99" percentage="20"/>'
    )
    report = _import(db_session, tmp_path, _activity(recipients=recipients))
    value = "299 – Somewhere, regional"
    assert _findings(db_session) == [(kinds.UNKNOWN_REGION_CODE, "recipient", value)]
    assert report.findings[kinds.UNKNOWN_REGION_CODE].examples == [("XM-TEST-1", value)]


def test_known_region_codes_and_an_unloaded_codelist_find_nothing(db_session, tmp_path):
    recipients = '<recipient-region code="299" percentage="100"/>'
    _import(db_session, tmp_path, _activity(recipients=recipients))
    assert _findings(db_session) == []  # no Region codelist imported: nothing to compare with
    _region_codelist(db_session)
    _import(db_session, tmp_path, _activity(recipients=recipients.replace("299", "298")))
    assert _findings(db_session) == []


def test_a_placeholder_in_two_languages_is_one_finding(db_session, tmp_path):
    title = 'TBD</narrative><narrative xml:lang="fr">TBD'
    _import(db_session, tmp_path, _activity(title=title))
    assert _findings(db_session) == [(kinds.PLACEHOLDER_TEXT, "activity", "TBD")]
