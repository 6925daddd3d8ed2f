"""The IATI XML of the activities a page shows, exactly as their publishers published them.

Each stored `<iati-activity>` goes out byte for byte inside a new `<iati-activities>`
wrapper; only the wrapper (version 2.03, the generation time) and one comment are ours.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

IATI_VERSION = "2.03"
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")


def _comment(text: str) -> str:
    """An XML comment cannot hold "--"; nothing else needs changing."""
    return "<!-- " + escape(text).replace("--", "- -") + " -->"


def activities_document(
    activities: Iterable[bytes], generated_at: dt.datetime, note: str
) -> Iterator[bytes]:
    """An `<iati-activities>` file around `activities`, produced one activity at a time."""
    timestamp = generated_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    yield (
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        + f'<iati-activities version="{IATI_VERSION}" generated-datetime="{timestamp}">\n'.encode()
        + _comment(note).encode("utf-8")
        + b"\n"
    )
    for activity in activities:
        published = _XML_DECLARATION.sub(b"", activity, count=1).rstrip()
        yield published + b"\n"
    yield b"</iati-activities>\n"
