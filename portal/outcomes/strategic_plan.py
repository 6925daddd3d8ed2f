"""Which Strategic Plan areas and Sustainable Development Goals an outcome contributes to.

The publisher links outcomes to its own Strategic Plan with sector vocabulary 99 (codes such
as "D1" for development outcomes and "O2" for organisational effectiveness outputs) and
sometimes only in words: "(related to SP_D_1.2 : …)" in a title or description, where
SP_D_1.2 belongs to area D1. SDGs come as goals (sector vocabulary 7, tag vocabulary 2) or
targets (sector vocabulary 8, tag vocabulary 3: "5.2" belongs to goal 5).

The areas are the publisher's, not IATI's, so their names are ours and neutral; the
publisher's own name for an area is shown beside them where it published one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PUBLISHER_SECTOR_VOCABULARY = "99"
SDG_GOAL_SECTOR_VOCABULARY = "7"
SDG_TARGET_SECTOR_VOCABULARY = "8"
SDG_GOAL_TAG_VOCABULARY = "2"
SDG_TARGET_TAG_VOCABULARY = "3"
SDG_GOALS = range(1, 18)

# Our names for the areas the publisher's vocabulary-99 codes stand for: the code, and what
# kind of result its letter says it is. Codes not listed get the same wording generically.
STRATEGIC_PLAN_AREAS = {
    "D1": (_l("Strategic Plan area D1"), _l("Development outcome 1")),
    "D2": (_l("Strategic Plan area D2"), _l("Development outcome 2")),
    "D3": (_l("Strategic Plan area D3"), _l("Development outcome 3")),
    "D4": (_l("Strategic Plan area D4"), _l("Development outcome 4")),
    "O1": (_l("Strategic Plan area O1"), _l("Organisational effectiveness output 1")),
    "O2": (_l("Strategic Plan area O2"), _l("Organisational effectiveness output 2")),
    "O3": (_l("Strategic Plan area O3"), _l("Organisational effectiveness output 3")),
}

_AREA_CODE = re.compile(r"([DO])[\s_.-]*0*(\d{1,2})(?:\.\d+)?", re.IGNORECASE)
# "(related to SP_D_1.2 : …)", "SP-O-2.1", "SP_D1": the letter and the area number.
_AREA_REFERENCE = re.compile(r"\bSP[\s_-]*([DO])[\s_-]*0*(\d{1,2})(?:\.\d+)*", re.IGNORECASE)
_SDG_CODE = re.compile(r"0*(\d{1,2})(?:\.[0-9a-z]+)*", re.IGNORECASE)


def area_code(code: str | None) -> str | None:
    """ "D1" from a vocabulary-99 code ("D1", "d_1", "D1.2"); None for anything else."""
    if not code:
        return None
    match = _AREA_CODE.fullmatch(code.strip())
    if match is None or int(match.group(2)) == 0:
        return None
    return f"{match.group(1).upper()}{int(match.group(2))}"


def areas_referenced(texts: Iterable[str]) -> set[str]:
    """Areas named in free text as "SP_D_1.2" (area D1) or "SP_O_2" (area O2)."""
    found = set()
    for text in texts:
        for letter, number in _AREA_REFERENCE.findall(text or ""):
            if int(number):
                found.add(f"{letter.upper()}{int(number)}")
    return found


def sdg_goal(code: str | None) -> str | None:
    """The goal number ("5") of a goal ("5", "05") or target ("5.2", "5.a") code; 1–17 only."""
    if not code:
        return None
    match = _SDG_CODE.fullmatch(code.strip())
    if match is None or int(match.group(1)) not in SDG_GOALS:
        return None
    return str(int(match.group(1)))


def sdg_goal_of_classification(kind: str, vocabulary: str | None, code: str | None) -> str | None:
    """The SDG goal a `<sector>` or `<tag>` names, or None when it names none."""
    vocabulary = (vocabulary or "").strip()
    sdg_vocabularies = {
        "sector": (SDG_GOAL_SECTOR_VOCABULARY, SDG_TARGET_SECTOR_VOCABULARY),
        "tag": (SDG_GOAL_TAG_VOCABULARY, SDG_TARGET_TAG_VOCABULARY),
    }
    if vocabulary in sdg_vocabularies.get(kind, ()):
        return sdg_goal(code)
    return None


def area_of_classification(kind: str, vocabulary: str | None, code: str | None) -> str | None:
    """The publisher's Strategic Plan code of a vocabulary-99 `<sector>` ("D1" from "D1.2" in
    UN Women's D/O form; any other code as published, e.g. UNDP's "17"), or None."""
    if kind == "sector" and (vocabulary or "").strip() == PUBLISHER_SECTOR_VOCABULARY:
        return area_code(code) or ((code or "").strip()[:20] or None)
    return None


def is_plan_area(code: str) -> bool:
    """Whether the code is in the D/O form whose areas the portal names ("D1", "O2")."""
    return area_code(code) == code


def area_sort_key(code: str) -> tuple[int, int, str]:
    """Development outcomes (D) before organisational effectiveness outputs (O), by number;
    then other publishers' codes in natural order."""
    if is_plan_area(code):
        return (0 if code.startswith("D") else 1, int(code[1:]), "")
    digits = code.lstrip("0")
    return (2, int(digits) if digits.isdigit() else 0, code)


def area_label(code: str, publisher: str | None = None) -> str:
    """ "Strategic Plan area D1" in the visitor's language; a code in another form is the
    publisher's own: "UNDP code 17"."""
    known = STRATEGIC_PLAN_AREAS.get(code)
    if known is not None:
        return str(known[0])
    if is_plan_area(code):
        return _("Strategic Plan area %(code)s", code=code)
    if publisher:
        return _("%(publisher)s code %(code)s", publisher=publisher, code=code)
    return _("Strategic Plan code %(code)s", code=code)


def area_short_name(code: str) -> str | None:
    """What the code's letter says the area is: "Development outcome 1"; None for a code in
    another form (its meaning is the publisher's)."""
    known = STRATEGIC_PLAN_AREAS.get(code)
    if known is not None:
        return str(known[1])
    if not is_plan_area(code):
        return None
    number = code[1:]
    if code.startswith("D"):
        return _("Development outcome %(number)s", number=number)
    return _("Organisational effectiveness output %(number)s", number=number)


def sdg_label(goal: str, codelist_names: Mapping[str, str]) -> str:
    """The goal's name from the IATI UNSDG-Goals codelist when imported, else "SDG 5"."""
    return codelist_names.get(goal) or _("SDG %(number)s", number=goal)


def sdg_sort_key(goal: str) -> int:
    return int(goal)
