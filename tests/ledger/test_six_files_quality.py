"""Issue 15 on the six real files imported together: the findings are listed on the
data-quality page (no 500), its counts are the stored ones, every kind's filter lists them all,
and the budget lines of zero or less, the texts without a language, the providers named
differently and the unknown region codes are exactly those the XML holds."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from lxml import etree
from sqlalchemy import func, select

from iati.test_recipients import _surviving_activities
from ledger.six_files import FILES
from outcomes.reading import soup_of
from portal.codelists.importer import import_codelists
from portal.iati.models import Outcome
from portal.quality import kinds
from portal.quality.checks import refresh_findings
from portal.quality.models import DataFinding

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _budget_lines_not_above_zero(shared_data) -> int:
    count = 0
    for name in FILES:
        for activity in _surviving_activities(shared_data / "iati-activities" / name):
            for text in activity.xpath("budget/value/text()"):
                try:
                    count += Decimal(text.strip()) <= 0
                except InvalidOperation:
                    continue
    return count


def test_the_six_files_findings_are_on_the_data_quality_page(client, six_files, shared_data):
    stored = dict(
        six_files.execute(select(DataFinding.kind, func.count()).group_by(DataFinding.kind)).all()
    )
    assert stored[kinds.BUDGET_NOT_ABOVE_ZERO] == _budget_lines_not_above_zero(shared_data)
    page = soup_of(client.get("/en/data-quality/"))
    counted: dict[str, int] = {}
    for row in page.select("#quality-counts-heading ~ div tbody tr"):
        kind = row.a["href"].split("kind=")[1]
        counted[kind] = counted.get(kind, 0) + int(row.select("td")[-1].get_text().replace(",", ""))
    assert counted == stored
    for kind, count in stored.items():
        listed = soup_of(client.get(f"/en/data-quality/?kind={kind}"))
        assert f"{count:,} finding" in listed.get_text(), kind
        first = listed.select_one(".finding-list > li a")
        assert soup_of(client.get(first["href"])).select(".quality-flag"), first["href"]


def _activities(shared_data) -> list:
    return [
        activity
        for name in FILES
        for activity in _surviving_activities(shared_data / "iati-activities" / name)
    ]


def _language(element) -> str:
    """xml:lang as XML inherits it: the element's own, else the nearest ancestor's; "und"."""
    for node in (element, *element.iterancestors()):
        lang = (node.get(XML_LANG) or "").strip().lower()
        if lang:
            return lang
    return "und"


def _activities_with_text_without_language(shared_data) -> int:
    """IATI Validator 4.1.1 as the portal reads it: no xml:lang on the activity or the file,
    and a narrative with none on itself or an element around it."""
    return sum(
        1
        for activity in _activities(shared_data)
        if _language(activity) == "und"
        and any(
            (narrative.text or "").strip() and _language(narrative) == "und"
            for narrative in activity.iter("narrative")
        )
    )


def _provider_names(provider) -> dict[str, str]:
    """A provider-org's name per language, spacing and case set aside."""
    texts: dict[str, list[str]] = defaultdict(list)
    for narrative in provider.findall("narrative"):
        if (narrative.text or "").strip():
            texts[_language(narrative)].append(narrative.text)
    return {lang: " ".join(" ".join(parts).split()).casefold() for lang, parts in texts.items()}


def _providers_named_differently(shared_data) -> int:
    """Activities x provider refs where the activity's publisher names that ref differently
    in one language somewhere among its activities."""
    names = defaultdict(lambda: defaultdict(set))  # (publisher, ref) -> lang -> names
    used = defaultdict(set)  # (publisher, ref) -> activities naming it
    for activity in _activities(shared_data):
        publisher = activity.xpath("string(reporting-org/@ref)").strip()
        if not publisher:
            continue
        for provider in activity.xpath("transaction/provider-org"):
            ref = (provider.get("ref") or "").strip()
            by_lang = _provider_names(provider)
            if not ref or not by_lang:
                continue
            for lang, name in by_lang.items():
                names[(publisher, ref)][lang].add(name)
            used[(publisher, ref)].add(id(activity))
    return sum(
        len(used[key])
        for key, by_lang in names.items()
        if any(len(spellings) > 1 for spellings in by_lang.values())
    )


def _unknown_region_codes(shared_data) -> int:
    codelist = etree.parse(str(shared_data / "iati-codelists" / "non-embedded" / "Region.xml"))
    known = {code.strip() for code in codelist.xpath("//codelist-item/code/text()")}
    return sum(
        1
        for activity in _activities(shared_data)
        for region in activity.xpath("recipient-region")
        if (region.get("vocabulary") or "1").strip() == "1"
        and (code := (region.get("code") or "").strip())
        and code not in known
    )


def test_the_six_files_new_kinds_agree_with_the_xml(six_files, shared_data):
    """The region codes are checked once the Region codelist is imported, by a refresh (as
    `portal data-quality refresh` does after `portal import-codelists`)."""
    import_codelists(
        six_files, [str(shared_data / "iati-codelists" / "non-embedded" / "Region.xml")]
    )
    refresh_findings(six_files, six_files.scalars(select(Outcome.id)).all())
    six_files.flush()
    stored = dict(
        six_files.execute(select(DataFinding.kind, func.count()).group_by(DataFinding.kind)).all()
    )
    expected = {
        kinds.TEXT_WITHOUT_LANGUAGE: _activities_with_text_without_language(shared_data),
        kinds.PROVIDER_NAMED_DIFFERENTLY: _providers_named_differently(shared_data),
        kinds.UNKNOWN_REGION_CODE: _unknown_region_codes(shared_data),
    }
    assert {kind: stored.get(kind, 0) for kind in expected} == expected
    assert expected[kinds.PROVIDER_NAMED_DIFFERENTLY] > 0  # UNDP names AU-5 three ways
    print("six files, new kinds:", expected)
