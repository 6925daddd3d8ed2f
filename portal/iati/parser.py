"""Stream-read IATI activity XML (2.01–2.03) into plain rows, tolerating what real files do.

The parser never resolves entities, never loads a DTD and never touches the network, so XXE
and entity bombs do nothing (libxml2 refuses an amplifying document outright). Each
`<iati-activity>` is read when it ends and then cleared with everything before it, so
memory stays flat whatever the file size. Schema errors are not errors here: what can be
read is kept, what cannot is counted as a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from lxml import etree

from portal.iati import report as kinds
from portal.iati.narratives import UNDETERMINED
from portal.iati.recipient_countries import recipient_country
from portal.iati.report import ImportFailed

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI 1.x spelled activity-date types as words; 2.0x uses the ActivityDateType codes.
ACTIVITY_DATE_TYPES = {
    "1": "1",
    "2": "2",
    "3": "3",
    "4": "4",
    "start-planned": "1",
    "start-actual": "2",
    "end-planned": "3",
    "end-actual": "4",
}

# The children of <iati-activity> the portal reads; the others (document links, locations,
# related activities...) never become Python objects.
ACTIVITY_PARTS = (
    "transaction",
    "sector",
    "activity-date",
    "participating-org",
    "tag",
    "budget",
    "result",
    "recipient-country",
    "iati-identifier",
    "title",
    "description",
    "reporting-org",
    "activity-status",
    "recipient-region",
)

PLACEHOLDERS = frozenset(
    {"-", "--", "---", ".", "..", "...", "?", "x", "xx", "xxx", "n/a", "na", "n.a.", "tbd", "tbc"}
    | {"none", "null", "nil", "test", "todo", "to be deleted", "lorem ipsum"}
)
PLACEHOLDER_STARTS = ("lorem ipsum", "to be deleted")
# A short text saying it is to be deleted is a placeholder wherever it says so.
MARKED_FOR_DELETION = ("to be deleted", "to be delected")
SHORTEST_REAL_TEXT = 40
# The largest magnitude a Numeric(20, 2) column holds.
MONEY_LIMIT = Decimal(10) ** 18
PERCENTAGE_LIMIT = Decimal(10) ** 4
# Distinct values of each kind (short texts, dates, codes) one import remembers.
MEMO_SIZE = 50_000
# Shared by every part without text; never mutated.
EMPTY_NARRATIVES: dict[str, str] = {}
# xml:lang values as published -> lower-case codes ("EN" -> "en"), filled as met.
_LANGUAGES: dict[str, str] = {}
_from_iso_date = dt.date.fromisoformat
_LIBXML_POSITION = re.compile(r",? line \d+, column \d+$")


class _Remembered(dict):
    """What a reader made of each value it took without a warning, by the value as written.

    Files repeat their codes and dates thousands of times; a look-up that finds nothing
    (`remembered[value]`) reads the value, and only a value read without a warning is kept,
    so every bad value is still counted each time it appears.
    """

    __slots__ = ("_read",)

    def __init__(self, read: Callable[[str | None], object]) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, value: str | None) -> object:
        result = self._read(value)
        if result is not None and len(self) < MEMO_SIZE:
            self[value] = result
        return result


@dataclass(slots=True)
class ParsedIndicator:
    row: dict
    periods: list[dict]


@dataclass(slots=True)
class ParsedResult:
    row: dict
    indicators: list[ParsedIndicator]


@dataclass(slots=True)
class ParsedPublisher:
    ref: str
    org_type: str | None
    name: dict[str, str]


@dataclass(slots=True)
class ParsedActivity:
    """One activity as rows ready to insert; ids are filled in by the importer."""

    key: tuple[str, str]
    outcome: dict
    publisher: ParsedPublisher | None
    results: list[ParsedResult] = field(default_factory=list)
    budgets: list[dict] = field(default_factory=list)
    transactions: list[dict] = field(default_factory=list)
    participating_orgs: list[dict] = field(default_factory=list)
    classifications: list[dict] = field(default_factory=list)
    # recipient-country and recipient-region elements in document order.
    recipients: list[dict] = field(default_factory=list)
    progress: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def indicator_count(self) -> int:
        return sum(len(result.indicators) for result in self.results)

    @property
    def period_count(self) -> int:
        return sum(
            len(indicator.periods) for result in self.results for indicator in result.indicators
        )


@dataclass(slots=True)
class FileHeader:
    """What the `<iati-activities>` wrapper says about the file."""

    version: str | None = None
    generated_at: dt.datetime | None = None


class ActivityReader:
    """Turns `<iati-activity>` elements into ParsedActivity rows, counting warnings."""

    def __init__(self, warnings: Counter[str], narrative_counts: Counter[str]) -> None:
        self.warnings = warnings
        self.narrative_counts = narrative_counts
        # Short texts already judged by is_placeholder: names repeat thousands of times a file.
        self._placeholders: dict[str, bool] = {}
        # code(), currency() and date() of the values met, for the hot paths to look up.
        self.codes = _Remembered(self.code)
        self.currencies = _Remembered(self.currency)
        self.dates = _Remembered(self.date)

    # -- small typed readers ---------------------------------------------------------------

    def code(self, value: str | None, length: int = 10) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        if len(value) > length:
            self.warnings[kinds.INVALID_CODE] += 1
            return None
        return value

    def currency(self, value: str | None) -> str | None:
        return self.code(value, 3)

    def clipped(self, value: str | None, length: int) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        if len(value) > length:
            self.warnings[kinds.TEXT_CUT] += 1
            return value[:length]
        return value

    def date(self, value: str | None) -> dt.date | None:
        if not value:
            return None
        try:
            return _from_iso_date(value[:10])
        except ValueError:
            pass
        try:
            return _from_iso_date(value.strip()[:10])
        except ValueError:
            self.warnings[kinds.INVALID_DATE] += 1
            return None

    def moment(self, value: str | None) -> dt.datetime | None:
        """An ISO 8601 date-time as naive UTC (no zone: taken as written); None when absent."""
        if value is None or not (value := value.strip()):
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):
            self.warnings[kinds.INVALID_DATE] += 1
            return None
        return moment

    def decimal(self, value: str | None, limit: Decimal = MONEY_LIMIT) -> Decimal | None:
        if not value:
            return None
        try:
            number = Decimal(value)  # surrounding whitespace is allowed
        except InvalidOperation:
            if not value.strip():
                return None
            number = None
        if number is None or not number.is_finite() or abs(number) >= limit:
            self.warnings[kinds.INVALID_NUMBER] += 1
            return None
        return number

    def integer(self, value: str | None) -> int | None:
        if value is None or not value.strip():
            return None
        try:
            return int(value.strip())
        except ValueError:
            self.warnings[kinds.INVALID_NUMBER] += 1
            return None

    @staticmethod
    def boolean(value: str | None) -> bool | None:
        if value is None:
            return None
        value = value.strip().lower()
        if value in ("1", "true"):
            return True
        if value in ("0", "false"):
            return False
        return None

    def narratives(self, element, kind: str | None = None) -> dict[str, str]:
        """Texts by lower-case language; 1.x-style free text when there is no <narrative>.

        The hottest function of an import: keep it to plain loops and dict look-ups.
        """
        texts: dict[str, str] = {}
        found = False
        counts = self.narrative_counts
        for narrative in element[:]:  # a list of the children: faster than iterating
            if narrative.tag != "narrative":  # faster than iterchildren("narrative")
                continue
            found = True
            text = narrative.text if not len(narrative) else self._text_without_entities(narrative)
            if not text or not (text := text.strip()):
                continue
            raw_lang = narrative.get(XML_LANG)
            lang = _LANGUAGES.get(raw_lang) if raw_lang else self._inherited_lang(narrative)
            if lang is None:
                lang = raw_lang.strip().lower() or UNDETERMINED
                if len(_LANGUAGES) < 1000:  # a hostile file must not grow it without end
                    _LANGUAGES[raw_lang] = lang
            counts[lang] += 1
            if kind is not None and len(text) < 40:
                placeholder = self._placeholders.get(text)
                if placeholder is None:
                    placeholder = is_placeholder(text)
                    if len(self._placeholders) < MEMO_SIZE:
                        self._placeholders[text] = placeholder
                if placeholder:
                    self.warnings[kind] += 1
            if lang in texts:
                texts[lang] = f"{texts[lang]}\n\n{text}"
            else:
                texts[lang] = text
        if not found and (element.text or len(element)):
            text = element.text if not len(element) else self._free_text(element)
            if text and (text := text.strip()):
                lang = element.get(XML_LANG)
                lang = (lang.strip().lower() or UNDETERMINED) if lang else None
                lang = lang or self._inherited_lang(element)
                counts[lang] += 1
                if kind is not None and len(text) < 40 and is_placeholder(text):
                    self.warnings[kind] += 1
                texts[lang] = text
        return texts

    def _inherited_lang(self, element) -> str:
        """xml:lang is inherited: the nearest ancestor's, up to the file's; else "und"."""
        for ancestor in element.iterancestors():
            lang = ancestor.get(XML_LANG)
            if lang and lang.strip():
                return lang.strip().lower()
        self.warnings[kinds.NARRATIVE_WITHOUT_LANGUAGE] += 1
        return UNDETERMINED

    def _text_without_entities(self, element) -> str:
        parts = [element.text or ""]
        for child in element:
            if isinstance(child, etree._Entity):
                self.warnings[kinds.ENTITY_IGNORED] += 1
            elif isinstance(child.tag, str):
                parts.append(self._text_without_entities(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def _free_text(self, element) -> str:
        """Text written straight inside an element (IATI 1.x), child elements left out."""
        parts = [element.text or ""]
        for child in element:
            if isinstance(child, etree._Entity):
                self.warnings[kinds.ENTITY_IGNORED] += 1
            parts.append(child.tail or "")
        return "".join(parts)

    # -- the activity ----------------------------------------------------------------------

    def read(self, activity, source_xml: bytes) -> ParsedActivity | None:
        identifier = None
        publisher = None
        title: dict[str, str] = {}
        description: dict[str, str] | None = None
        fallback_description: dict[str, str] | None = None
        dates: dict[str, dt.date | None] = {}
        countries: list[tuple[str, Decimal | None]] = []
        region = None
        status_code = None
        parsed = ParsedActivity(key=("", ""), outcome={}, publisher=None)
        default_currency = self.currencies[activity.get("default-currency")]

        for child in activity.iterchildren(*ACTIVITY_PARTS):
            tag = child.tag
            if tag == "transaction":
                parsed.transactions.append(self.transaction(child, default_currency))
            elif tag == "sector":
                parsed.classifications.append(self.classification(child, "sector", "1"))
            elif tag == "activity-date":
                date_type = ACTIVITY_DATE_TYPES.get((child.get("type") or "").strip())
                value = child.get("iso-date")
                if value is None and not len(child) and child.text:
                    value = child.text  # 1.x put the date in the text
                if date_type and dates.get(date_type) is None:
                    dates[date_type] = self.dates[value]
            elif tag == "participating-org":
                parsed.participating_orgs.append(
                    {
                        "role_code": self.codes[child.get("role")],
                        "ref": self.clipped(child.get("ref"), 200),
                        "org_type": self.codes[child.get("type")],
                        "name": self.narratives(child, kinds.PLACEHOLDER_NAME),
                    }
                )
            elif tag == "tag":
                parsed.classifications.append(self.classification(child, "tag", None))
            elif tag == "budget":
                parsed.budgets.append(self.budget(child, default_currency))
            elif tag == "result":
                parsed.results.append(self.result(child, len(parsed.results), parsed.progress))
            elif tag == "recipient-country":
                code = self.clipped(child.get("code"), 20)
                percentage = self.decimal(child.get("percentage"), PERCENTAGE_LIMIT)
                country = None
                if code:
                    upper = code.upper()
                    countries.append((upper, percentage))
                    country = recipient_country(upper)
                parsed.recipients.append(
                    {
                        "position": len(parsed.recipients),
                        "kind": "country",
                        "code": code,
                        "vocabulary": None,
                        "country_iso3": country.iso3 if country is not None else None,
                        "percentage": percentage,
                        "name": self.narratives(child),
                    }
                )
            elif tag == "iati-identifier":
                identifier = (child.text or "").strip() or None
            elif tag == "title":
                title = self.narratives(child)
            elif tag == "description":
                texts = self.narratives(child)
                if description is None and (child.get("type") or "1").strip() == "1":
                    description = texts
                elif fallback_description is None:
                    fallback_description = texts
            elif tag == "reporting-org":
                ref = self.clipped(child.get("ref"), 200)
                if ref:
                    publisher = ParsedPublisher(
                        ref=ref,
                        org_type=self.codes[child.get("type")],
                        name=self.narratives(child, kinds.PLACEHOLDER_NAME),
                    )
            elif tag == "activity-status":
                status_code = self.codes[child.get("code")]
            elif tag == "recipient-region":
                row = {
                    "position": len(parsed.recipients),
                    "kind": "region",
                    "code": self.clipped(child.get("code"), 20),
                    "vocabulary": self.codes[child.get("vocabulary")] or "1",
                    "country_iso3": None,
                    "percentage": self.decimal(child.get("percentage"), PERCENTAGE_LIMIT),
                    "name": self.narratives(child),
                }
                parsed.recipients.append(row)
                if region is None:
                    region = {
                        "region_code": row["code"],
                        "region_vocabulary": row["vocabulary"],
                        "region_name": row["name"],
                    }

        if identifier is None:
            self.warnings[kinds.MISSING_IDENTIFIER] += 1
            return None
        if len(identifier) > 300:
            self.warnings[kinds.TEXT_CUT] += 1
            identifier = identifier[:300]

        plan_period = self.plan_period(dates, parsed.budgets)
        iso2, iso3 = self.country(countries)
        default_lang = activity.get(XML_LANG)
        if not default_lang:
            parent = activity.getparent()
            default_lang = parent.get(XML_LANG) if parent is not None else None
        default_lang = (default_lang or "").strip().lower()[:10] or None
        region = region or {"region_code": None, "region_vocabulary": None, "region_name": {}}

        parsed.key = (identifier, plan_period)
        parsed.publisher = publisher
        parsed.outcome = {
            "iati_identifier": identifier,
            "plan_period": plan_period,
            "content_sha256": hashlib.sha256(source_xml).hexdigest(),
            "default_lang": default_lang,
            "default_currency": default_currency,
            "status_code": status_code,
            "hierarchy": self.integer(activity.get("hierarchy")),
            "country_iso3": iso3,
            "country_iso2": iso2,
            **region,
            "planned_start": dates.get("1"),
            "actual_start": dates.get("2"),
            "planned_end": dates.get("3"),
            "actual_end": dates.get("4"),
            "title": title,
            "description": description if description is not None else (fallback_description or {}),
            "last_updated_at": self.moment(activity.get("last-updated-datetime")),
            "source_xml": source_xml,
        }
        return parsed

    def plan_period(self, dates: dict[str, dt.date | None], budgets: list[dict]) -> str:
        """ "YYYY-YYYY" from the activity dates, else from the budget periods, else ""."""
        start = dates.get("1") or dates.get("2")
        end = dates.get("3") or dates.get("4")
        start_year = start.year if start else None
        end_year = end.year if end else None
        if start_year is None:
            years = [b["period_start"].year for b in budgets if b["period_start"]]
            start_year = min(years) if years else None
        if end_year is None:
            years = [b["period_end"].year for b in budgets if b["period_end"]]
            end_year = max(years) if years else None
        if start_year is None or end_year is None:
            self.warnings[kinds.MISSING_PLAN_PERIOD] += 1
            return ""
        return f"{start_year}-{end_year}"

    def country(self, countries: list[tuple[str, Decimal | None]]) -> tuple[str | None, str | None]:
        """The single recipient country (or the only one at 100 %), as (iso2, iso3)."""
        if not countries:
            return None, None
        if len(countries) == 1:
            code = countries[0][0]
        else:
            whole = [code for code, percentage in countries if percentage == 100]
            if len(whole) != 1:
                self.warnings[kinds.SEVERAL_RECIPIENT_COUNTRIES] += 1
                return None, None
            code = whole[0]
        country = recipient_country(code)
        if country is None:  # a data-quality finding (portal.quality.checks.recipients)
            return (code if len(code) == 2 else None), None
        return country.iso2, country.iso3

    # -- parts of an activity --------------------------------------------------------------

    def classification(self, element, kind: str, default_vocabulary: str | None) -> dict:
        return {
            "kind": kind,
            "vocabulary": self.codes[element.get("vocabulary")] or default_vocabulary,
            "code": self.clipped(element.get("code"), 100),
            "percentage": self.decimal(element.get("percentage"), PERCENTAGE_LIMIT),
            "name": self.narratives(element),
        }

    def budget(self, element, default_currency: str | None) -> dict:
        row = {
            "type_code": self.codes[element.get("type")],
            "status_code": self.codes[element.get("status")],
            "period_start": None,
            "period_end": None,
            "value": None,
            "currency": default_currency,
            "value_date": None,
        }
        for child in element:
            tag = child.tag
            if tag == "period-start":
                row["period_start"] = self.dates[child.get("iso-date")]
            elif tag == "period-end":
                row["period_end"] = self.dates[child.get("iso-date")]
            elif tag == "value":
                row["value"] = self.decimal(child.text)
                row["currency"] = self.currencies[child.get("currency")] or default_currency
                row["value_date"] = self.dates[child.get("value-date")]
        return row

    def transaction(self, element, default_currency: str | None) -> dict:
        # The most frequent element of all (14 000 in a 13 MB file): locals, one dict at the end.
        type_code = date = value = value_date = provider_ref = receiver_ref = None
        currency = default_currency
        provider_name = receiver_name = description = EMPTY_NARRATIVES
        codes, currencies, dates = self.codes, self.currencies, self.dates
        for child in element[:]:
            tag = child.tag
            if tag == "value":
                value = self.decimal(child.text)
                currency = currencies[child.get("currency")] or default_currency
                value_date = dates[child.get("value-date")]
            elif tag == "transaction-type":
                type_code = codes[child.get("code")]
            elif tag == "transaction-date":
                date = dates[child.get("iso-date")]
            elif tag == "provider-org":
                provider_ref = self.clipped(child.get("ref"), 200)
                provider_name = self.narratives(child, kinds.PLACEHOLDER_NAME)
            elif tag == "receiver-org":
                receiver_ref = self.clipped(child.get("ref"), 200)
                receiver_name = self.narratives(child, kinds.PLACEHOLDER_NAME)
            elif tag == "description":
                description = self.narratives(child)
        return {
            "type_code": type_code,
            "date": date,
            "value": value,
            "currency": currency,
            "value_date": value_date,
            "provider_ref": provider_ref,
            "provider_name": provider_name,
            "receiver_ref": receiver_ref,
            "receiver_name": receiver_name,
            "description": description,
        }

    def result(self, element, position: int, progress: dict[int, dict[str, str]]) -> ParsedResult:
        type_code = self.codes[element.get("type")]
        row = {
            "position": position,
            "type_code": type_code,
            "aggregation_status": self.boolean(element.get("aggregation-status")),
            "title": {},
            "description": {},
        }
        indicators: list[ParsedIndicator] = []
        for child in element:
            tag = child.tag
            if tag == "indicator":
                indicators.append(self.indicator(child, len(indicators)))
            elif tag == "title":
                row["title"] = self.narratives(child)
            elif tag == "description":
                row["description"] = self.narratives(child)
        if type_code == "2":
            for indicator in indicators:
                for period in indicator.periods:
                    add_progress(progress, period)
        return ParsedResult(row=row, indicators=indicators)

    def indicator(self, element, position: int) -> ParsedIndicator:
        row = {
            "position": position,
            "measure": self.codes[element.get("measure")],
            "ascending": self.boolean(element.get("ascending")),
            "title": {},
            "description": {},
            "baseline_year": None,
            "baseline_value": None,
            "baseline_comment": {},
        }
        periods: list[dict] = []
        baselines = 0
        for child in element:
            tag = child.tag
            if tag == "period":
                periods.append(self.period(child))
            elif tag == "title":
                row["title"] = self.narratives(child)
            elif tag == "description":
                row["description"] = self.narratives(child)
            elif tag == "baseline":
                baselines += 1
                if baselines == 1:
                    row["baseline_year"] = self.integer(child.get("year"))
                    row["baseline_value"] = self.clipped(child.get("value"), 100)
                    comment = child.find("comment")
                    if comment is not None:
                        row["baseline_comment"] = self.narratives(comment)
        if baselines > 1:
            self.warnings[kinds.SEVERAL_BASELINES] += 1
        return ParsedIndicator(row=row, periods=periods)

    def period(self, element) -> dict:
        row = {
            "period_start": None,
            "period_end": None,
            "target_value": None,
            "target_comment": {},
            "actual_value": None,
            "actual_comment": {},
        }
        targets = []
        actuals = []
        for child in element:
            tag = child.tag
            if tag == "period-start":
                row["period_start"] = self.dates[child.get("iso-date")]
            elif tag == "period-end":
                row["period_end"] = self.dates[child.get("iso-date")]
            elif tag == "target":
                targets.append(child)
            elif tag == "actual":
                actuals.append(child)
        if targets:
            if len(targets) > 1:
                self.warnings[kinds.SEVERAL_TARGETS] += 1
            row["target_value"], row["target_comment"] = self.measured(targets)
        if actuals:
            if len(actuals) > 1:
                self.warnings[kinds.SEVERAL_ACTUALS] += 1
            row["actual_value"], row["actual_comment"] = self.measured(actuals)
        return row

    def measured(self, elements: list) -> tuple[str | None, dict[str, str]]:
        """A target or actual: the first one that has a value (2.03 allows several)."""
        chosen = next((e for e in elements if (e.get("value") or "").strip()), elements[0])
        comment = chosen.find("comment")
        return (
            self.clipped(chosen.get("value"), 100),
            self.narratives(comment) if comment is not None else {},
        )


def add_progress(progress: dict[int, dict[str, str]], period: dict) -> None:
    """Merge an actual's comment into the year's progress narrative (period end year)."""
    comment = period["actual_comment"]
    if not comment:
        return
    day = period["period_end"] or period["period_start"]
    if day is None:
        return
    texts = progress.setdefault(day.year, {})
    for lang, text in comment.items():
        if is_placeholder(text):
            continue
        texts[lang] = f"{texts[lang]}\n\n{text}" if lang in texts else text
    if not texts:
        del progress[day.year]


def is_placeholder(text: str) -> bool:
    """Text that stands for nothing: "-", "N/A", "TBD", "Lorem ipsum…", "TO BE DELETED",
    also in brackets ("(OUTCOME TO BE DELECTED)", as one publisher wrote it).

    A text that only mentions "lorem ipsum" further on is not one: the text must start so.
    """
    if len(text) <= 3 and not any(character.isalnum() for character in text):
        return True
    lowered = text.casefold().strip("()[]{}*_ ")
    return (
        lowered in PLACEHOLDERS
        or lowered.startswith(PLACEHOLDER_STARTS)
        or (len(lowered) <= SHORTEST_REAL_TEXT and any(w in lowered for w in MARKED_FOR_DELETION))
    )


class ActivityFile:
    """Iterates over the activities of one IATI file on disk."""

    def __init__(
        self,
        path: Path,
        location: str,
        reader: ActivityReader,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.path = path
        self.location = location  # as the operator named it, for messages
        self.reader = reader
        self.header = FileHeader()
        self.progress = progress

    def __iter__(self) -> Iterator[ParsedActivity]:
        if self.progress is None:
            # libxml2 reads the file itself: the fastest way in.
            yield from self._activities(str(self.path))
        else:
            with self.path.open("rb") as stream:
                yield from self._activities(_CountingStream(stream, self.progress))

    def _activities(self, source: str | _CountingStream) -> Iterator[ParsedActivity]:
        context = etree.iterparse(
            source,
            events=("end",),
            tag="iati-activity",
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        root = None
        read_activities = 0
        try:
            for _event, activity in context:
                if root is None:
                    root = activity.getroottree().getroot()
                    self._read_header(root)
                source_xml = etree.tostring(activity, encoding="UTF-8")
                parsed = self.reader.read(activity, source_xml)
                read_activities += 1
                activity.clear(keep_tail=True)
                parent = activity.getparent()
                if parent is not None:
                    while activity.getprevious() is not None:
                        del parent[0]
                if parsed is not None:
                    yield parsed
        except etree.XMLSyntaxError as error:
            raise ImportFailed(
                self.location,
                max(error.lineno or 1, 1),
                _("not well-formed XML: %(error)s", error=_libxml_message(error)),
            ) from None
        except etree.LxmlError as error:
            raise ImportFailed(self.location, None, str(error)) from None
        if root is None:
            root = context.root
            if root is not None:
                self._read_header(root)
        if root is None or root.tag != "iati-activities":
            tag = root.tag if root is not None else ""
            raise ImportFailed(
                self.location,
                root.sourceline if root is not None else None,
                _(
                    "not an IATI activity file: the root element is <%(tag)s>,"
                    " not <iati-activities>",
                    tag=tag,
                ),
            )
        if not read_activities:
            self.reader.warnings[kinds.EMPTY_FILE] += 1

    def _read_header(self, root) -> None:
        if root.tag != "iati-activities":
            raise ImportFailed(
                self.location,
                root.sourceline,
                _(
                    "not an IATI activity file: the root element is <%(tag)s>,"
                    " not <iati-activities>",
                    tag=root.tag,
                ),
            )
        if root.getroottree().docinfo.internalDTD is not None:
            self.reader.warnings[kinds.DOCTYPE_IGNORED] += 1
        self.header.version = (root.get("version") or "").strip() or None
        if self.header.version and self.header.version.startswith("1."):
            self.reader.warnings[kinds.OLD_VERSION] += 1
        self.header.generated_at = self.reader.moment(root.get("generated-datetime"))


class _CountingStream:
    """A binary stream that reports how many bytes the parser has read so far."""

    def __init__(self, stream: IO[bytes], progress: Callable[[int], None]) -> None:
        self._stream = stream
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._progress(len(data))
        return data


def _libxml_message(error: etree.XMLSyntaxError) -> str:
    return _LIBXML_POSITION.sub("", (error.msg or str(error)).strip())
