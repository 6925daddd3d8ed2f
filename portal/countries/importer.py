"""Import country reference facts from CSV files in one transaction.

Each file's format is recognised by its header: our own long format (documented in
`portal.countries.facts`), the UN M49 country lists, the OCHA/HDX countries and
territories taxonomy, and the UNDP Human Development Report composite indices. Every file
is read and checked before the database is touched, so a malformed file changes nothing;
the caller commits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from os import PathLike
from pathlib import Path

from babel import Locale
from babel.core import get_global
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from portal.countries import facts
from portal.countries.facts import INDICATORS, FactKind, IndicatorDefinition
from portal.countries.models import Country, CountryFact
from portal.iati.models import ImportRun
from portal.quality.checks import refresh_fact_findings
from portal.quality.rules import population_parts_differ

# Provenance of the reference files the importer recognises (see ../shared/data/SOURCES.md).
UNSD_M49_SOURCE = "UN Statistics Division, Standard country or area codes for statistical use (M49)"
UNSD_M49_YEAR = 2026  # the LDC list as of February 2026: 44 countries, no São Tomé, no Bhutan
UNSD_M49_AS_OF = dt.date(2026, 2, 11)
WORLD_BANK_SOURCE = "World Bank country income classification FY2026 (July 2025)"
WORLD_BANK_YEAR = 2025
WORLD_BANK_AS_OF = dt.date(2025, 7, 1)
COUNTRY_LIST_SOURCE = "UN M49 country list with statistics (UN-CRAFd reference datasets)"
COUNTRY_LIST_YEAR = 2025  # its LDC column predates São Tomé and Príncipe's December 2024 exit
COUNTRY_LIST_AS_OF = dt.date(2025, 9, 16)
HDX_SOURCE = "OCHA/HDX Countries & Territories Taxonomy (hdx-python-country 4.2.5)"
HDX_YEAR = 2023  # its World Bank income levels are the July 2023 list
HDR_SOURCE = "UNDP Human Development Report 2023/24"
HDR_AS_OF = dt.date(2024, 3, 13)

# Published shares may differ from 100 by this much before it is reported (the shares as a
# header shows them are checked again, more loosely, by portal.quality.checks).
SHARE_TOLERANCE = Decimal("0.2")  # percentage points (two shares rounded to 0.1)
PLAUSIBLE_FEMALE_SHARE = (Decimal(20), Decimal(80))

# Warning kinds: stable keys (tests and the data-quality page use them), shown translated.
WARNING_KINDS = {
    "population_sum": _l("male + female population differs from the total"),
    "share_sum": _l("female and male shares do not add up to 100 %"),
    "implausible_share": _l("female share of the population outside 20–80 %"),
    "region_mismatch": _l("stated region does not contain the country"),
    "unknown_country": _l("unknown ISO3 country code"),
    "non_numeric": _l("value is not a number"),
    "out_of_range": _l("value outside the indicator's possible range"),
    "unrecognised_value": _l("value not understood for the indicator"),
    "unknown_indicator": _l("unknown indicator"),
    "invalid_year": _l("year is not a year"),
    "invalid_date": _l("as_of is not an ISO date"),
    "missing_source": _l("fact without a source"),
    "missing_value": _l("fact without a value"),
}

_ISO3 = re.compile(r"[A-Z]{3}")
_HDR_COLUMN = re.compile(r"(gii|gdi|pop_total)_(\d{4})")
_HDR_INDICATORS = {"gii": facts.GII, "gdi": facts.GDI, "pop_total": facts.POPULATION_TOTAL}
_MISSING = {"", "na", "n/a", ".."}
_POPULATION_INDICATORS = (
    facts.POPULATION_TOTAL,
    facts.POPULATION_FEMALE,
    facts.POPULATION_MALE,
    facts.POPULATION_FEMALE_PERCENT,
    facts.POPULATION_MALE_PERCENT,
)


class CountryFileError(Exception):
    """A file that cannot be imported at all: unreadable, not CSV, or missing columns."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        if self.line:
            return _(
                "%(path)s, line %(line)d: %(problem)s",
                path=str(self.path),
                line=self.line,
                problem=self.message,
            )
        return _("%(path)s: %(problem)s", path=str(self.path), problem=self.message)


@dataclass(frozen=True)
class ImportWarning:
    kind: str
    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.path and self.line:
            return _(
                "%(message)s (%(path)s, line %(line)d)",
                message=self.message,
                path=self.path,
                line=self.line,
            )
        return self.message


@dataclass(frozen=True)
class FileSummary:
    path: str
    format_label: str
    rows: int
    facts: int


@dataclass
class CountryImportReport:
    files: list[FileSummary] = field(default_factory=list)
    countries_created: int = 0
    countries_updated: int = 0
    facts_added: int = 0
    facts_updated: int = 0
    facts_unchanged: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)
    # Findings about the stored facts after the import (portal.quality), for the data-quality
    # page and the country headers.
    fact_findings: int = 0

    def warnings_by_kind(self) -> dict[str, int]:
        """Warning counts per kind, most frequent first."""
        return dict(Counter(warning.kind for warning in self.warnings).most_common())

    def render(self, examples_per_kind: int = 10) -> str:
        """The report printed at the end of an import."""
        lines = [_("Country files: %(count)d", count=len(self.files))]
        lines += [
            "  "
            + _(
                "%(path)s (%(format)s): %(rows)d rows, %(facts)d facts",
                path=summary.path,
                format=summary.format_label,
                rows=summary.rows,
                facts=summary.facts,
            )
            for summary in self.files
        ]
        lines.append(
            _(
                "Countries: %(created)d created, %(updated)d updated",
                created=self.countries_created,
                updated=self.countries_updated,
            )
        )
        lines.append(
            _(
                "Facts: %(added)d added, %(updated)d updated, %(unchanged)d unchanged",
                added=self.facts_added,
                updated=self.facts_updated,
                unchanged=self.facts_unchanged,
            )
        )
        lines.append(
            _("Data-quality findings in the country facts: %(count)d", count=self.fact_findings)
        )
        if not self.warnings:
            lines.append(_("Warnings: none"))
            return "\n".join(lines)
        lines.append(_("Warnings: %(count)d", count=len(self.warnings)))
        for kind, count in self.warnings_by_kind().items():
            lines.append(f"  {WARNING_KINDS.get(kind, kind)} [{kind}]: {count}")
            of_kind = [warning for warning in self.warnings if warning.kind == kind]
            lines += [f"    - {warning}" for warning in of_kind[:examples_per_kind]]
            if count > examples_per_kind:
                lines.append("    " + _("… and %(count)d more", count=count - examples_per_kind))
        return "\n".join(lines)


# --- What the files say, before anything is written -------------------------------------


@dataclass(frozen=True)
class _FactRecord:
    iso3: str
    indicator: str
    year: int
    value: Decimal | None
    text_value: str | None
    source: str
    as_of: dt.date | None
    path: str
    line: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.iso3, self.indicator, self.year)


@dataclass(frozen=True)
class _CountryRecord:
    """A country as a file names it; `authoritative` files (UN M49) set its region codes."""

    iso3: str
    path: str
    line: int
    iso2: str | None = None
    m49: str | None = None
    english_name: str | None = None
    area_m49: str | None = None  # the most specific M49 area (intermediate region if any)
    authoritative: bool = False


@dataclass
class _ParsedFile:
    path: Path
    format_label: str = ""
    rows: int = 0
    countries: list[_CountryRecord] = field(default_factory=list)
    facts: list[_FactRecord] = field(default_factory=list)
    # Region facts from files that are not M49 lists: kept only if they contain the country.
    region_claims: list[_FactRecord] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)

    def warn(self, kind: str, line: int, message: str) -> None:
        self.warnings.append(ImportWarning(kind, message, str(self.path), line))

    def add_fact(
        self,
        definition: IndicatorDefinition,
        iso3: str,
        year: int,
        published: str,
        source: str,
        as_of: dt.date | None,
        line: int,
    ) -> None:
        """Record one published value after checking it suits the indicator."""
        value: Decimal | None = None
        text_value: str | None = None
        if definition.kind is FactKind.NUMBER:
            value = _decimal(published)
            if value is None:
                self.warn("non_numeric", line, f"{iso3} {year} {definition.name}: {published!r}")
                return
            if (definition.minimum is not None and value < definition.minimum) or (
                definition.maximum is not None and value > definition.maximum
            ):
                self.warn(
                    "out_of_range",
                    line,
                    _(
                        "%(fact)s: %(value)s is outside %(minimum)s–%(maximum)s",
                        fact=" ".join((iso3, str(year), definition.name)),
                        value=published,
                        minimum=str(definition.minimum),
                        maximum=str(definition.maximum),
                    ),
                )
                return
        elif definition.kind is FactKind.FLAG:
            flag = facts.flag_value(published)
            if flag is None:
                self.warn(
                    "unrecognised_value", line, f"{iso3} {year} {definition.name}: {published!r}"
                )
                return
            value = Decimal(int(flag))
        else:
            text_value = _code_value(definition.name, published)
            if text_value is None:
                self.warn(
                    "unrecognised_value", line, f"{iso3} {year} {definition.name}: {published!r}"
                )
                return
        record = _FactRecord(
            iso3, definition.name, year, value, text_value, source, as_of, str(self.path), line
        )
        self.facts.append(record)


def _code_value(indicator: str, published: str) -> str | None:
    if indicator == facts.REGION:
        return facts.m49_area_code(published)
    if indicator == facts.INCOME_GROUP:
        return facts.income_group_code(published)
    return published.strip() or None


def _decimal(published: str) -> Decimal | None:
    try:
        value = Decimal(published.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _not_iso3(published: str) -> str:
    return _("%(code)s is not an ISO3 code", code=repr(published))


def _is_missing(published: str | None) -> bool:
    return published is None or published.strip().lower() in _MISSING


def _m49_code(published: str | None) -> str | None:
    if _is_missing(published) or not published.strip().isdigit():
        return None
    return published.strip().zfill(3)


def _most_specific_area(*codes: str | None) -> str | None:
    return next((code for code in codes if code), None)


# --- The formats ---------------------------------------------------------------------------

Row = dict[str, str]
Rows = Iterator[tuple[int, Row]]


@dataclass(frozen=True)
class CountryFileFormat:
    label: str
    required: tuple[str, ...]  # lower-case column names
    read: Callable[[_ParsedFile, Rows], None]
    # Extra test on the header (the HDR needs at least one indicator-per-year column).
    accepts: Callable[[Sequence[str]], bool] = lambda header: True


def _read_long_format(parsed: _ParsedFile, rows: Rows) -> None:
    for line, row in rows:
        iso3 = row["iso3"].strip().upper()
        indicator = row["indicator"].strip().lower()
        published = row["value"].strip()
        source = " ".join(row["source"].split())
        definition = INDICATORS.get(indicator)
        if definition is None:
            parsed.warn("unknown_indicator", line, f"{iso3}: {row['indicator']!r}")
            continue
        if not _ISO3.fullmatch(iso3):
            parsed.warn("unknown_country", line, _not_iso3(row["iso3"]))
            continue
        year = _year(row["year"])
        if year is None:
            parsed.warn("invalid_year", line, f"{iso3} {indicator}: {row['year']!r}")
            continue
        if not source:
            parsed.warn("missing_source", line, f"{iso3} {year} {indicator}")
            continue
        if not published:
            parsed.warn("missing_value", line, f"{iso3} {year} {indicator}")
            continue
        as_of = None
        if row.get("as_of", "").strip():
            try:
                as_of = dt.date.fromisoformat(row["as_of"].strip())
            except ValueError:
                parsed.warn("invalid_date", line, f"{iso3} {year} {indicator}: {row['as_of']!r}")
        parsed.countries.append(_CountryRecord(iso3, str(parsed.path), line))
        before = len(parsed.facts)
        parsed.add_fact(definition, iso3, year, published, source, as_of, line)
        if indicator == facts.REGION and len(parsed.facts) > before:
            parsed.region_claims.append(parsed.facts.pop())


def _year(published: str) -> int | None:
    published = published.strip()
    if not published.isdigit():
        return None
    year = int(published)
    return year if 1900 <= year <= 2100 else None


def _read_m49_country(
    parsed: _ParsedFile,
    line: int,
    row: Row,
    *,
    iso3_column: str,
    iso2_column: str,
    name_column: str,
) -> _CountryRecord | None:
    """Record a row of an M49-coded country list as an authoritative country.

    The UNSD list and our country list share the M49 columns but name the others differently.
    Returns the record, or None for a row without a valid ISO3 code (warned about).
    """
    iso3 = row[iso3_column].strip().upper()
    if not _ISO3.fullmatch(iso3):
        parsed.warn("unknown_country", line, _not_iso3(row[iso3_column]))
        return None
    area = _most_specific_area(
        _m49_code(row.get("intermediate_region_code")),
        _m49_code(row["sub_region_code"]),
        _m49_code(row["region_code"]),
    )
    record = _CountryRecord(
        iso3,
        str(parsed.path),
        line,
        # Namibia's alpha-2 code is "NA": never read it as "not available".
        iso2=row[iso2_column].strip().upper() or None,
        m49=_m49_code(row["m49_code"]),
        english_name=row[name_column].strip() or None,
        area_m49=area,
        authoritative=True,
    )
    parsed.countries.append(record)
    return record


def _read_unsd_m49(parsed: _ParsedFile, rows: Rows) -> None:
    for line, row in rows:
        country = _read_m49_country(
            parsed,
            line,
            row,
            iso3_column="iso_alpha3",
            iso2_column="iso_alpha2",
            name_column="country_or_area",
        )
        if country is None:
            continue
        iso3 = country.iso3
        if country.area_m49:
            parsed.add_fact(
                INDICATORS[facts.REGION],
                iso3,
                UNSD_M49_YEAR,
                country.area_m49,
                UNSD_M49_SOURCE,
                UNSD_M49_AS_OF,
                line,
            )
        parsed.add_fact(
            INDICATORS[facts.LDC],
            iso3,
            UNSD_M49_YEAR,
            row["is_ldc"],
            UNSD_M49_SOURCE,
            UNSD_M49_AS_OF,
            line,
        )


def _read_country_list_with_stats(parsed: _ParsedFile, rows: Rows) -> None:
    for line, row in rows:
        country = _read_m49_country(
            parsed,
            line,
            row,
            iso3_column="iso_alpha3_code",
            iso2_column="iso_alpha2_code",
            name_column="country",
        )
        if country is None:
            continue
        iso3 = country.iso3
        parsed.add_fact(
            INDICATORS[facts.LDC],
            iso3,
            COUNTRY_LIST_YEAR,
            row["is_ldc"],
            COUNTRY_LIST_SOURCE,
            COUNTRY_LIST_AS_OF,
            line,
        )
        # "NA" here means the World Bank does not classify the country (Venezuela).
        if not _is_missing(row["world_bank_income_group"]):
            parsed.add_fact(
                INDICATORS[facts.INCOME_GROUP],
                iso3,
                WORLD_BANK_YEAR,
                row["world_bank_income_group"],
                WORLD_BANK_SOURCE,
                WORLD_BANK_AS_OF,
                line,
            )


def _read_hdx_taxonomy(parsed: _ParsedFile, rows: Rows) -> None:
    for line, row in rows:
        iso3 = row["iso 3166-1 alpha 3-codes"].strip().upper()
        if not iso3:
            continue  # areas without a code (Channel Islands, Kosovo without ISO code…)
        if not _ISO3.fullmatch(iso3):
            parsed.warn("unknown_country", line, _not_iso3(iso3))
            continue
        name = row.get("english short", "").strip() or row.get("preferred term", "").strip()
        parsed.countries.append(
            _CountryRecord(
                iso3,
                str(parsed.path),
                line,
                iso2=row["iso 3166-1 alpha 2-codes"].strip().upper() or None,
                m49=_m49_code(row["m49 numerical code"]),
                english_name=name or None,
            )
        )
        area = _most_specific_area(
            _m49_code(row.get("intermediate region code")),
            _m49_code(row["sub-region code"]),
            _m49_code(row["region code"]),
        )
        if area:
            parsed.add_fact(INDICATORS[facts.REGION], iso3, HDX_YEAR, area, HDX_SOURCE, None, line)
            parsed.region_claims.append(parsed.facts.pop())
        if not _is_missing(row["world bank income level"]):
            parsed.add_fact(
                INDICATORS[facts.INCOME_GROUP],
                iso3,
                HDX_YEAR,
                row["world bank income level"],
                HDX_SOURCE,
                None,
                line,
            )


def _read_hdr_composite_indices(parsed: _ParsedFile, rows: Rows) -> None:
    million = Decimal(1_000_000)
    for line, row in rows:
        iso3 = row["iso3"].strip().upper()
        if iso3.startswith("ZZ") or "." in iso3:
            continue  # regional and development-group aggregates (ZZA.VHHD … ZZK.WORLD)
        if not _ISO3.fullmatch(iso3):
            parsed.warn("unknown_country", line, _not_iso3(row["iso3"]))
            continue
        parsed.countries.append(
            _CountryRecord(
                iso3, str(parsed.path), line, english_name=row["country"].strip() or None
            )
        )
        for column, published in row.items():
            match = _HDR_COLUMN.fullmatch(column)
            if match is None or _is_missing(published):
                continue
            indicator = _HDR_INDICATORS[match.group(1)]
            if indicator == facts.POPULATION_TOTAL:
                millions = _decimal(published)
                if millions is not None:  # the HDR counts people in millions; we store persons
                    published = str((millions * million).quantize(Decimal(1), ROUND_HALF_UP))
            parsed.add_fact(
                INDICATORS[indicator],
                iso3,
                int(match.group(2)),
                published,
                HDR_SOURCE,
                HDR_AS_OF,
                line,
            )


FORMATS: tuple[CountryFileFormat, ...] = (
    CountryFileFormat(
        _l("country facts, long format"),
        ("iso3", "year", "indicator", "value", "source"),
        _read_long_format,
    ),
    CountryFileFormat(
        _l("UN M49 countries"),
        (
            "country_or_area",
            "m49_code",
            "iso_alpha2",
            "iso_alpha3",
            "region_code",
            "sub_region_code",
            "is_ldc",
        ),
        _read_unsd_m49,
    ),
    CountryFileFormat(
        _l("UN M49 countries with World Bank income groups"),
        (
            "country",
            "m49_code",
            "iso_alpha2_code",
            "iso_alpha3_code",
            "region_code",
            "sub_region_code",
            "is_ldc",
            "world_bank_income_group",
        ),
        _read_country_list_with_stats,
    ),
    CountryFileFormat(
        _l("OCHA/HDX countries and territories taxonomy"),
        (
            "iso 3166-1 alpha 2-codes",
            "iso 3166-1 alpha 3-codes",
            "m49 numerical code",
            "region code",
            "sub-region code",
            "world bank income level",
        ),
        _read_hdx_taxonomy,
    ),
    CountryFileFormat(
        _l("UNDP HDR composite indices"),
        ("iso3", "country", "hdicode", "region"),
        _read_hdr_composite_indices,
        accepts=lambda header: any(_HDR_COLUMN.fullmatch(column) for column in header),
    ),
)


# --- Reading a file ------------------------------------------------------------------------


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The normalised header and the data rows (with line numbers) of a CSV file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CountryFileError(
            path, None, _("cannot read the file (%(error)s)", error=error.strerror)
        ) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CountryFileError(path, line, _("not UTF-8 text, so not a CSV file")) from error
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CountryFileError(path, line, _("binary content, not a CSV file"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next((row for row in reader if row), None)
    except csv.Error as error:
        raise CountryFileError(
            path, reader.line_num, _("not valid CSV (%(error)s)", error=str(error))
        ) from error
    if header is None:
        raise CountryFileError(path, None, _("the file is empty"))
    header_line = reader.line_num
    columns = [column.strip().lstrip("\ufeff").lower() for column in header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for values in reader:
                if not values or values == [""]:
                    continue
                if len(values) != len(columns):
                    raise CountryFileError(
                        path,
                        reader.line_num,
                        _(
                            "%(found)d fields where the header (line %(header_line)d) has "
                            "%(expected)d: truncated or not a CSV file",
                            found=len(values),
                            header_line=header_line,
                            expected=len(columns),
                        ),
                    )
                yield reader.line_num, values
        except csv.Error as error:
            raise CountryFileError(
                path, reader.line_num, _("not valid CSV (%(error)s)", error=str(error))
            ) from error

    return columns, rows()


def _recognise(path: Path, header: list[str]) -> CountryFileFormat:
    """The format whose required columns the header has; else say what is missing."""
    present = set(header)

    def coverage(file_format: CountryFileFormat) -> float:
        found = sum(column in present for column in file_format.required)
        return found / len(file_format.required)

    best = max(FORMATS, key=coverage)
    if coverage(best) == 1 and best.accepts(header):
        return best
    if coverage(best) >= 0.5:
        missing = [column for column in best.required if column not in present]
        if missing:
            problem = _(
                "looks like %(format)s but lacks the column(s) %(columns)s",
                format=best.label,
                columns=", ".join(missing),
            )
        else:
            problem = _(
                "looks like %(format)s but has no gii_YYYY, gdi_YYYY or pop_total_YYYY column",
                format=best.label,
            )
        raise CountryFileError(path, 1, problem)
    raise CountryFileError(
        path,
        1,
        _(
            "not a country facts file this portal recognises (the long format needs the "
            "columns %(columns)s; see portal/countries/facts.py)",
            columns=", ".join(FORMATS[0].required),
        ),
    )


def _parse_file(path: Path) -> _ParsedFile:
    header, value_rows = _csv_rows(path)
    file_format = _recognise(path, header)
    parsed = _ParsedFile(path, file_format.label)

    def rows() -> Rows:
        for line, values in value_rows:
            parsed.rows += 1
            yield line, dict(zip(header, values, strict=True))

    file_format.read(parsed, rows())
    return parsed


# --- Writing -------------------------------------------------------------------------------

# Kosovo's user-assigned codes (World Bank, IATI); CLDR has no alpha-3 alias for it.
_EXTRA_ISO3 = {"XKX": "XK"}


@cache
def _iso2_by_iso3() -> dict[str, str]:
    aliases = get_global("territory_aliases")
    mapping = {
        code: targets[0]
        for code, targets in aliases.items()
        if len(code) == 3
        and code.isalpha()
        and len(targets) == 1
        and not _is_user_assigned(targets[0])
    }
    return mapping | _EXTRA_ISO3


def _is_user_assigned(iso2: str) -> bool:
    """ISO 3166 codes left for private use (AA, QM–QZ, XA–XZ, ZZ) and CLDR's EU: no country."""
    return iso2 in ("AA", "ZZ", "EU") or iso2[0] == "X" or (iso2[0] == "Q" and iso2[1] >= "M")


def iso2_for_iso3(iso3: str) -> str | None:
    """The alpha-2 code for an alpha-3 country code, from CLDR (Babel), or None."""
    return _iso2_by_iso3().get(iso3.upper())


def _english_name(iso2: str) -> str | None:
    return Locale("en").territories.get(iso2)


class _Writer:
    """Applies parsed files to the session and fills the report."""

    def __init__(self, session: Session, report: CountryImportReport) -> None:
        self.session = session
        self.report = report
        self.countries = {country.iso3: country for country in session.scalars(select(Country))}
        self.created: set[str] = set()
        self.updated: set[str] = set()
        self.unknown: set[tuple[str, str]] = set()  # (path, iso3) already reported
        self.authoritative_area: dict[str, str] = {}

    def warn_unknown(self, iso3: str, path: str, line: int) -> None:
        if (path, iso3) not in self.unknown:
            self.unknown.add((path, iso3))
            self.report.warnings.append(
                ImportWarning(
                    "unknown_country",
                    _("%(code)s: no such country; its rows are skipped", code=iso3),
                    path,
                    line,
                )
            )

    def apply_country(self, record: _CountryRecord) -> None:
        country = self.countries.get(record.iso3)
        if country is None:
            iso2 = record.iso2 or iso2_for_iso3(record.iso3)
            if iso2 is None or any(other.iso2 == iso2 for other in self.countries.values()):
                self.warn_unknown(record.iso3, record.path, record.line)
                return
            country = Country(
                iso3=record.iso3,
                iso2=iso2,
                m49=record.m49,
                english_name=record.english_name or _english_name(iso2) or record.iso3,
            )
            self.session.add(country)
            self.countries[record.iso3] = country
            self.created.add(record.iso3)
        if record.m49 and not country.m49:
            country.m49 = record.m49
        if record.authoritative and record.area_m49:
            self.authoritative_area[record.iso3] = record.area_m49
            region, subregion, intermediate = facts.m49_areas_of(record.area_m49)
            changes = {"m49": record.m49 or country.m49, "region_m49": region}
            changes.update(subregion_m49=subregion, intermediate_m49=intermediate)
            for attribute, value in changes.items():
                if getattr(country, attribute) != value:
                    setattr(country, attribute, value)
                    if record.iso3 not in self.created:
                        self.updated.add(record.iso3)

    def region_claim_holds(self, claim: _FactRecord) -> bool:
        """Keep a stated region that contains the country; set it when nothing is known."""
        country = self.countries[claim.iso3]
        known = self.authoritative_area.get(claim.iso3) or country.intermediate_m49
        known = known or country.subregion_m49 or country.region_m49
        stated = claim.text_value or ""
        if known is None:
            (
                country.region_m49,
                country.subregion_m49,
                country.intermediate_m49,
            ) = facts.m49_areas_of(stated)
            return True
        if stated in facts.m49_ancestors(known):
            return True
        # A finer area than the one we know (an intermediate region) cannot be refuted.
        if known in facts.m49_ancestors(stated):
            return True
        known_name = facts.M49_AREAS[known].english_name if known in facts.M49_AREAS else ""
        self.report.warnings.append(
            ImportWarning(
                "region_mismatch",
                _(
                    "%(code)s: the stated region %(stated)s (%(stated_name)s) does not contain "
                    "the country, which is in M49 area %(known)s (%(known_name)s)",
                    code=claim.iso3,
                    stated=stated,
                    stated_name=facts.M49_AREAS[stated].english_name,
                    known=known,
                    known_name=known_name,
                ),
                claim.path,
                claim.line,
            )
        )
        return False

    def write_facts(self, records: list[_FactRecord]) -> None:
        """Upsert on (country, indicator, year); the last file given wins."""
        latest: dict[tuple[str, str, int], _FactRecord] = {}
        for record in records:
            if record.iso3 in self.countries:
                latest[record.key] = record
            else:
                self.warn_unknown(record.iso3, record.path, record.line)
        if not latest:
            return
        self.session.flush()
        iso3s = {key[0] for key in latest}
        indicators = {key[1] for key in latest}
        existing = {
            (fact.country_iso3, fact.indicator, fact.year): fact
            for fact in self.session.execute(
                select(
                    CountryFact.id,
                    CountryFact.country_iso3,
                    CountryFact.indicator,
                    CountryFact.year,
                    CountryFact.value,
                    CountryFact.text_value,
                    CountryFact.source,
                    CountryFact.as_of,
                ).where(CountryFact.country_iso3.in_(iso3s), CountryFact.indicator.in_(indicators))
            )
        }
        additions: list[dict] = []
        changes: list[dict] = []
        for key, record in latest.items():
            values = {
                "value": record.value,
                "text_value": record.text_value,
                "source": record.source,
                "as_of": record.as_of,
            }
            stored = existing.get(key)
            if stored is None:
                additions.append(
                    {"country_iso3": key[0], "indicator": key[1], "year": key[2]} | values
                )
            elif all(getattr(stored, name) == value for name, value in values.items()):
                self.report.facts_unchanged += 1
            else:
                changes.append({"id": stored.id} | values)
        if additions:
            self.session.execute(insert(CountryFact), additions)
        if changes:
            self.session.execute(update(CountryFact), changes)
        self.report.facts_added += len(additions)
        self.report.facts_updated += len(changes)

    def check_population(self, records: list[_FactRecord]) -> None:
        """Warn where the stored figures of a country and year contradict each other."""
        touched = {
            (record.iso3, record.year): record
            for record in records
            if record.indicator in _POPULATION_INDICATORS and record.iso3 in self.countries
        }
        if not touched:
            return
        figures: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
        for iso3, indicator, year, value in self.session.execute(
            select(
                CountryFact.country_iso3, CountryFact.indicator, CountryFact.year, CountryFact.value
            ).where(
                CountryFact.country_iso3.in_({iso3 for iso3, _year in touched}),
                CountryFact.indicator.in_(_POPULATION_INDICATORS),
            )
        ):
            if (iso3, year) in touched and value is not None:
                figures[(iso3, year)][indicator] = value
        for (iso3, year), by_indicator in sorted(figures.items()):
            origin = touched[(iso3, year)]
            self._check_one_population(iso3, year, by_indicator, origin)

    def _check_one_population(
        self, iso3: str, year: int, figures: dict[str, Decimal], origin: _FactRecord
    ) -> None:
        def warn(kind: str, message: str) -> None:
            self.report.warnings.append(
                ImportWarning(kind, f"{iso3} {year}: {message}", origin.path, origin.line)
            )

        total = figures.get(facts.POPULATION_TOTAL)
        female = figures.get(facts.POPULATION_FEMALE)
        male = figures.get(facts.POPULATION_MALE)
        if (
            total
            and female is not None
            and male is not None
            and population_parts_differ(total, female, male)
        ):
            warn(
                "population_sum",
                _(
                    "female %(female)s + male %(male)s = %(sum)s, but the total is %(total)s",
                    female=format_decimal(female),
                    male=format_decimal(male),
                    sum=format_decimal(female + male),
                    total=format_decimal(total),
                ),
            )
        female_share = figures.get(facts.POPULATION_FEMALE_PERCENT)
        male_share = figures.get(facts.POPULATION_MALE_PERCENT)
        if (
            female_share is not None
            and male_share is not None
            and abs(female_share + male_share - 100) > SHARE_TOLERANCE
        ):
            warn(
                "share_sum",
                _(
                    "female %(female)s %% + male %(male)s %% = %(sum)s %%",
                    female=format_decimal(female_share),
                    male=format_decimal(male_share),
                    sum=format_decimal(female_share + male_share),
                ),
            )
        if female_share is None and total and female is not None:
            female_share = female / total * 100
        low, high = PLAUSIBLE_FEMALE_SHARE
        if female_share is not None and not low <= female_share <= high:
            warn(
                "implausible_share",
                _(
                    "women are %(share)s %% of the population",
                    share=format_decimal(female_share, format="#,##0.0"),
                ),
            )


def import_country_files(
    session: Session, paths: Sequence[str | PathLike[str]]
) -> CountryImportReport:
    """Import country facts from CSV files into the session's transaction (no commit).

    Every file is read and checked first; a `CountryFileError` leaves the session untouched.
    """
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    parsed_files = [_parse_file(Path(path)) for path in paths]
    report = CountryImportReport()
    for parsed in parsed_files:
        report.warnings += parsed.warnings
    writer = _Writer(session, report)
    for parsed in parsed_files:
        for record in parsed.countries:
            writer.apply_country(record)
    all_facts = [record for parsed in parsed_files for record in parsed.facts]
    for parsed in parsed_files:
        all_facts += [
            claim
            for claim in parsed.region_claims
            if claim.iso3 in writer.countries and writer.region_claim_holds(claim)
        ]
    writer.write_facts(all_facts)
    session.flush()
    writer.check_population(all_facts)
    report.fact_findings = len(refresh_fact_findings(session))
    report.countries_created = len(writer.created)
    report.countries_updated = len(writer.updated)
    report.files = [
        FileSummary(
            str(parsed.path),
            str(parsed.format_label),
            parsed.rows,
            len(parsed.facts) + len(parsed.region_claims),
        )
        for parsed in parsed_files
    ]
    session.add(
        ImportRun(
            kind="countries",
            started_at=started_at,
            finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            report=report.render(),
        )
    )
    session.flush()
    return report
