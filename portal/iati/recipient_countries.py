"""IATI recipient-country codes (ISO 3166-1 alpha-2) as the portal's Country keys."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry


@dataclass(frozen=True, slots=True)
class RecipientCountry:
    iso2: str
    iso3: str
    m49: str | None
    english_name: str


# In the IATI Country codelist but not in ISO 3166-1 (so not in pycountry): Kosovo has
# the user-assigned code XK / XKX and no M49 number.
NOT_IN_ISO_3166 = {"XK": RecipientCountry("XK", "XKX", None, "Kosovo")}


@cache
def _by_iso2() -> dict[str, RecipientCountry]:
    countries = {
        country.alpha_2: RecipientCountry(
            iso2=country.alpha_2,
            iso3=country.alpha_3,
            m49=getattr(country, "numeric", None),
            english_name=getattr(country, "common_name", None) or country.name,
        )
        for country in pycountry.countries
    }
    countries.update(NOT_IN_ISO_3166)
    return countries


def recipient_country(iso2: str) -> RecipientCountry | None:
    """The country for an upper-case alpha-2 code, or None when the code is unknown."""
    return _by_iso2().get(iso2)
