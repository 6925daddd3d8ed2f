"""The country reference facts the portal knows, in one place.

A country page's header shows these figures; each is stored as a `CountryFact` row per
country and year, with its source and, when known, the date it was valid ("as of").

Our own long CSV format
-----------------------
`portal import-countries` reads, besides the reference files it recognises, a long CSV
(UTF-8, comma-separated, header row) with one fact per row:

=========  ==========================================================================
column     meaning
=========  ==========================================================================
iso3       ISO 3166-1 alpha-3 code of the country (``MLI``); ``XKX`` for Kosovo
year       the year the figure describes (``2022``)
indicator  one of the names in `INDICATORS` below
value      the figure, written as this table says per indicator
source     who published the figure and where (``UNDP Human Development Report 2023/24``)
as_of      optional ISO date the figure was valid or published (``2024-03-13``)
=========  ==========================================================================

Values per indicator:

- ``region``: a UN M49 area code (``002``, ``202``, ``011``) or its English name
  (``Sub-Saharan Africa``); it sets the country's M49 region and sub-region when unknown
  and is checked against them when known.
- ``income_group``: ``L``, ``LM``, ``UM``, ``H`` or the World Bank wording (``Low income``,
  ``Lower middle income``, ``Upper middle income``, ``High income``).
- ``ldc``: ``1`` / ``0`` (also ``true`` / ``false``, ``yes`` / ``no``).
- ``gii``, ``gdi``: the UNDP index, a decimal number (``0.607``).
- ``population_total``, ``population_female``, ``population_male``: persons (not millions).
- ``population_female_percent``, ``population_male_percent``: published shares in percent,
  when a source gives shares; they are checked to add up to 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from flask_babel import gettext


class FactKind(Enum):
    """How a fact's value is stored: `text_value` for codes, `value` for figures."""

    CODE = "code"
    FLAG = "flag"
    NUMBER = "number"


@dataclass(frozen=True)
class IndicatorDefinition:
    name: str
    kind: FactKind
    # Inclusive bounds a plausible value lies in; outside them the import warns.
    minimum: Decimal | None = None
    maximum: Decimal | None = None


REGION = "region"
INCOME_GROUP = "income_group"
LDC = "ldc"
GII = "gii"
GDI = "gdi"
POPULATION_TOTAL = "population_total"
POPULATION_FEMALE = "population_female"
POPULATION_MALE = "population_male"
POPULATION_FEMALE_PERCENT = "population_female_percent"
POPULATION_MALE_PERCENT = "population_male_percent"

_PERCENT = {"minimum": Decimal(0), "maximum": Decimal(100)}
_PERSONS = {"minimum": Decimal(0), "maximum": Decimal(10_000_000_000)}

INDICATORS: dict[str, IndicatorDefinition] = {
    definition.name: definition
    for definition in (
        IndicatorDefinition(REGION, FactKind.CODE),
        IndicatorDefinition(INCOME_GROUP, FactKind.CODE),
        IndicatorDefinition(LDC, FactKind.FLAG),
        # GII lies in 0..1; GDI is female HDI / male HDI and can exceed 1 a little.
        IndicatorDefinition(GII, FactKind.NUMBER, Decimal(0), Decimal(1)),
        IndicatorDefinition(GDI, FactKind.NUMBER, Decimal(0), Decimal(2)),
        IndicatorDefinition(POPULATION_TOTAL, FactKind.NUMBER, **_PERSONS),
        IndicatorDefinition(POPULATION_FEMALE, FactKind.NUMBER, **_PERSONS),
        IndicatorDefinition(POPULATION_MALE, FactKind.NUMBER, **_PERSONS),
        IndicatorDefinition(POPULATION_FEMALE_PERCENT, FactKind.NUMBER, **_PERCENT),
        IndicatorDefinition(POPULATION_MALE_PERCENT, FactKind.NUMBER, **_PERCENT),
    )
}

# World Bank income groups, stored as stable codes the interface translates.
INCOME_GROUP_CODES = ("L", "LM", "UM", "H")
_INCOME_GROUP_WORDING = {
    "low income": "L",
    "low": "L",
    "lower middle income": "LM",
    "lower middle": "LM",
    "lower-middle income": "LM",
    "upper middle income": "UM",
    "upper middle": "UM",
    "upper-middle income": "UM",
    "high income": "H",
    "high": "H",
}


def income_group_code(published: str) -> str | None:
    """The stable code for a World Bank income group as written in a file, or None."""
    cleaned = " ".join(published.split())
    if cleaned.upper() in INCOME_GROUP_CODES:
        return cleaned.upper()
    return _INCOME_GROUP_WORDING.get(cleaned.lower())


_FLAG_WORDING = {"1": True, "true": True, "yes": True, "y": True}
_FLAG_WORDING |= {"0": False, "false": False, "no": False, "n": False}


def flag_value(published: str) -> bool | None:
    """A yes/no fact as written in a file (1/0, TRUE/False, yes/no), or None."""
    return _FLAG_WORDING.get(published.strip().lower())


@dataclass(frozen=True)
class M49Area:
    code: str
    english_name: str  # exactly as in the UNSD M49 file
    parent: str | None

    @property
    def name(self) -> str:
        """The area's name in the visitor's language (our catalogue; UN terminology)."""
        return gettext(self.english_name)


def N_(english_name: str) -> str:  # noqa: N802 - gettext's conventional no-op marker
    """Marks a name for the translation catalogue without translating it here."""
    return english_name


# The UN M49 geographic regions above country level (world, regions, sub-regions and the
# intermediate regions): enough to tell whether a stated region contains a country.
M49_AREAS: dict[str, M49Area] = {
    area.code: area
    for area in (
        M49Area("001", N_("World"), None),
        M49Area("002", N_("Africa"), "001"),
        M49Area("019", N_("Americas"), "001"),
        M49Area("142", N_("Asia"), "001"),
        M49Area("150", N_("Europe"), "001"),
        M49Area("009", N_("Oceania"), "001"),
        M49Area("015", N_("Northern Africa"), "002"),
        M49Area("202", N_("Sub-Saharan Africa"), "002"),
        M49Area("014", N_("Eastern Africa"), "202"),
        M49Area("017", N_("Middle Africa"), "202"),
        M49Area("018", N_("Southern Africa"), "202"),
        M49Area("011", N_("Western Africa"), "202"),
        M49Area("419", N_("Latin America and the Caribbean"), "019"),
        M49Area("029", N_("Caribbean"), "419"),
        M49Area("013", N_("Central America"), "419"),
        M49Area("005", N_("South America"), "419"),
        M49Area("021", N_("Northern America"), "019"),
        M49Area("143", N_("Central Asia"), "142"),
        M49Area("030", N_("Eastern Asia"), "142"),
        M49Area("035", N_("South-eastern Asia"), "142"),
        M49Area("034", N_("Southern Asia"), "142"),
        M49Area("145", N_("Western Asia"), "142"),
        M49Area("151", N_("Eastern Europe"), "150"),
        M49Area("154", N_("Northern Europe"), "150"),
        M49Area("830", N_("Channel Islands"), "154"),
        M49Area("039", N_("Southern Europe"), "150"),
        M49Area("155", N_("Western Europe"), "150"),
        M49Area("053", N_("Australia and New Zealand"), "009"),
        M49Area("054", N_("Melanesia"), "009"),
        M49Area("057", N_("Micronesia"), "009"),
        M49Area("061", N_("Polynesia"), "009"),
    )
}
_M49_AREA_BY_NAME = {area.english_name.lower(): area.code for area in M49_AREAS.values()}


def m49_area_code(published: str) -> str | None:
    """The M49 area code for a code ("2", "002") or English name ("Africa"), or None."""
    cleaned = published.strip()
    if cleaned.isdigit():
        code = cleaned.zfill(3)
        return code if code in M49_AREAS else None
    return _M49_AREA_BY_NAME.get(" ".join(cleaned.split()).lower())


def m49_ancestors(code: str) -> list[str]:
    """The area and every area containing it, innermost first ("011" → 011, 202, 002, 001)."""
    chain: list[str] = []
    current: str | None = code
    while current is not None and current in M49_AREAS and current not in chain:
        chain.append(current)
        current = M49_AREAS[current].parent
    return chain


def m49_areas_of(code: str) -> tuple[str | None, str | None, str | None]:
    """The (region, sub-region, intermediate region) an area code implies, as `Country`
    stores them ("011" → 002 Africa, 202 Sub-Saharan Africa, 011 Western Africa)."""
    chain = m49_ancestors(code)
    region = next((c for c in chain if M49_AREAS[c].parent == "001"), None)
    subregion = next((c for c in chain if region and M49_AREAS[c].parent == region), None)
    intermediate = next((c for c in chain if subregion and M49_AREAS[c].parent == subregion), None)
    return region, subregion, intermediate
