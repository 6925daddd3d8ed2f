"""Text written to a spreadsheet (CSV, XLSX) that a spreadsheet would run as a formula.

One rule for the public downloads and the operator's survey export (CSV injection, OWASP;
ASVS 1.2.10). Only text is guarded: numbers are written as numbers by their writers.
"""

from __future__ import annotations

import unicodedata

# A cell whose first visible character is one of these is read as a formula. The full-width
# forms count: some spreadsheets (Excel with an East Asian input method) read them as ASCII.
FORMULA_TRIGGERS = frozenset("=+-@＝＋－＠")
# Characters that start a formula on their own wherever they lead (before any visible text).
LEADING_TRIGGERS = frozenset("\t\r\x00")


def _is_invisible(character: str) -> bool:
    """White space, or a format character (zero-width space, BOM, bidi mark, soft hyphen…)."""
    return character.isspace() or unicodedata.category(character) == "Cf"


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula: its first visible character is a
    trigger, or a tab, CR or NUL comes before it."""
    for character in text:
        if character in FORMULA_TRIGGERS or character in LEADING_TRIGGERS:
            return True
        if not _is_invisible(character):
            return False
    return False


def neutralise_formula(text: str) -> str:
    """`text` with a leading apostrophe when it looks like a formula, which spreadsheets read as
    "this is text" (and do not show)."""
    return "'" + text if looks_like_formula(text) else text
