"""What an address says, read by one rule each for pages, downloads and the API.

- An ISO 3166-1 alpha-3 code in a path: the `<iso3:iso3>` URL converter, three ASCII letters
  in either case (anything else matches no route: 404). Links are built in capitals; a page or
  a download asked for in lower case redirects there (301, `upper_case_redirect`), the API
  answers for the code in capitals.
- Whole numbers (`year`, `page`, the API's `per_page`): ASCII digits only, at most six, from 1
  to a maximum (9999 unless said): "-1", "0", "1.5", "1e3", " 2" or "٣" are refused, not
  guessed at.
- Plan periods (`plan_period`): two years like 2022-2025 (empty is allowed: no plan period
  has it, so nothing is found).
- An ISO3 code in the query (`country`): three ASCII letters, read in capitals.

The parse_* functions raise BadArgument; each caller answers it its own way: a page or a
download with its 400 (or 404) page in the visitor's language (the *_argument helpers here),
the API with a JSON 400 saying what is wrong (portal.api.schemas' fields call the same parsers).
"""

from __future__ import annotations

import re

from flask import Flask, abort, redirect, request, url_for
from werkzeug.routing import BaseConverter
from werkzeug.wrappers import Response

LARGEST_NUMBER = 9999
ISO3_PATTERN = "[A-Za-z]{3}"
PLAN_PERIOD_PATTERN = "([0-9]{4}-[0-9]{4})?"
_ISO3 = re.compile(ISO3_PATTERN)
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")
_PLAN_PERIOD = re.compile(PLAN_PERIOD_PATTERN)


class BadArgument(ValueError):
    """A value that is not what its argument must be."""


def parse_whole_number(text: str, maximum: int = LARGEST_NUMBER) -> int:
    if not _WHOLE_NUMBER.fullmatch(text) or not 1 <= int(text) <= maximum:
        raise BadArgument(text)
    return int(text)


def parse_plan_period(text: str) -> str:
    if not _PLAN_PERIOD.fullmatch(text):
        raise BadArgument(text)
    return text


def is_iso3(text: str) -> bool:
    """Three capital ASCII letters: a code as links write it."""
    return bool(_ISO3.fullmatch(text)) and text.isupper()


def parse_iso3(text: str) -> str:
    """The code in capitals."""
    if not _ISO3.fullmatch(text):
        raise BadArgument(text)
    return text.upper()


class Iso3Converter(BaseConverter):
    """`<iso3:iso3>`: three ASCII letters, given to the view as typed; links in capitals."""

    regex = ISO3_PATTERN

    def to_url(self, value: str) -> str:
        return super().to_url(str(value).upper())


def upper_case_redirect(iso3: str) -> Response | None:
    """For a page or a download asked for with a lower-case code: a permanent redirect to the
    same address in capitals, keeping the query; None when the code is already in capitals."""
    if iso3 == iso3.upper():
        return None
    location = url_for(request.endpoint, **(request.view_args or {}))
    if request.query_string:
        location += "?" + request.query_string.decode("latin-1")
    return redirect(location, 301)


# --- For pages and downloads: 400 (their error page) for a bad or repeated value ---------------


def single_argument(name: str) -> str | None:
    """A query value given at most once (400 when repeated); None when absent."""
    values = request.args.getlist(name)
    if len(values) > 1:
        abort(400)
    return values[0] if values else None


def whole_number_argument(name: str, maximum: int = LARGEST_NUMBER) -> int | None:
    """A whole number from the query string; 400 for anything else (but absence)."""
    value = single_argument(name)
    if value is None:
        return None
    try:
        return parse_whole_number(value, maximum)
    except BadArgument:
        abort(400)


def plan_period_argument() -> str | None:
    """The plan period asked for; 400 when repeated, 404 for a value that is none (no outcome
    is stored under it)."""
    value = single_argument("plan_period")
    if value is None:
        return None
    try:
        return parse_plan_period(value)
    except BadArgument:
        abort(404)


def iso3_argument(name: str, *, empty_means_none: bool = False) -> str | None:
    """An ISO3 code from the query (spaces around it ignored), in capitals; None when absent
    (or empty, when `empty_means_none`), else 400 for anything but three letters."""
    value = single_argument(name)
    if value is None or (empty_means_none and not value.strip()):
        return None
    try:
        return parse_iso3(value.strip())
    except BadArgument:
        abort(400)


def init_app(app: Flask) -> None:
    """The converters, before any blueprint adds its routes."""
    app.url_map.converters["iso3"] = Iso3Converter
