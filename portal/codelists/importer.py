"""Read IATI codelist XML files and replace the stored codelists with them, in one transaction.

The format is IATI's (github.com/IATI/IATI-Codelists): `<codelist name="Sector" xml:lang="en">`,
then `<codelist-item status="withdrawn"?>` with `<code>`, `<name>` and `<description>` holding
one `<narrative>` per language (no `xml:lang` means the codelist's own language) and an
optional `<category>`.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from flask_babel import gettext as _
from flask_babel import ngettext
from lxml import etree
from sqlalchemy import delete
from sqlalchemy.orm import Session

from portal.codelists.models import CodelistEntry
from portal.iati.models import ImportRun
from portal.iati.parser import XML_LANG

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class CodelistImportError(Exception):
    """A source could not be read or is not an IATI codelist; nothing was imported."""


@dataclass(frozen=True)
class CodelistItem:
    """One code with its names and descriptions by lower-case language code."""

    code: str
    names: dict[str, str]
    descriptions: dict[str, str]
    category: str | None
    withdrawn: bool


@dataclass(frozen=True)
class Codelist:
    name: str
    items: list[CodelistItem]
    source: str

    @property
    def languages(self) -> list[str]:
        """Languages of the names, English first, for the import report."""
        found = {lang for item in self.items for lang in item.names}
        return sorted(found, key=lambda lang: (lang != "en", lang))

    def count_named_in(self, lang: str) -> int:
        return sum(1 for item in self.items if lang in item.names)


@dataclass
class ImportReport:
    codelists: list[Codelist] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line per codelist: how many codes, withdrawn, and names per language."""
        lines = []
        for codelist in self.codelists:
            withdrawn = sum(1 for item in codelist.items if item.withdrawn)
            per_language = ", ".join(
                f"{lang}: {codelist.count_named_in(lang)}" for lang in codelist.languages
            )
            lines.append(
                ngettext(
                    "%(codelist)s: %(num)d code (%(withdrawn)d withdrawn); names %(languages)s",
                    "%(codelist)s: %(num)d codes (%(withdrawn)d withdrawn); names %(languages)s",
                    len(codelist.items),
                    codelist=codelist.name,
                    withdrawn=withdrawn,
                    languages=per_language,
                )
            )
        return lines


def _narratives(element: etree._Element | None, default_lang: str) -> dict[str, str]:
    """Texts by lower-case language; the first narrative of a language wins."""
    texts: dict[str, str] = {}
    if element is None:
        return texts
    for narrative in element.findall("narrative"):
        text = " ".join((narrative.text or "").split())
        lang = (narrative.get(XML_LANG) or default_lang).strip().lower()
        if text and lang not in texts:
            texts[lang] = text
    return texts


def parse_codelist(content: bytes, source: str) -> Codelist:
    """The codelist in `content`; raises CodelistImportError when it is not one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise CodelistImportError(
            _("%(source)s: not well-formed XML (%(error)s)", source=source, error=str(error))
        ) from error
    name = (root.get("name") or "").strip()
    if root.tag != "codelist" or not name:
        raise CodelistImportError(
            _("%(source)s: not an IATI codelist (<codelist name=...>)", source=source)
        )
    default_lang = (root.get(XML_LANG) or "en").strip().lower()
    items: dict[str, CodelistItem] = {}
    for element in root.iterfind("codelist-items/codelist-item"):
        code = (element.findtext("code") or "").strip()
        if not code or code in items:
            continue
        names = _narratives(element.find("name"), default_lang)
        # A few lists (Version) publish codes without names: the code is its own label.
        items[code] = CodelistItem(
            code=code,
            names=names or {default_lang: code},
            descriptions=_narratives(element.find("description"), default_lang),
            category=(element.findtext("category") or "").strip() or None,
            withdrawn=(element.get("status") or "").strip().lower() == "withdrawn",
        )
    return Codelist(name=name, items=list(items.values()), source=source)


def expand_sources(sources: Iterable[str]) -> list[str]:
    """URLs and files as given; a directory stands for every *.xml file in it, sorted."""
    expanded: list[str] = []
    for source in sources:
        if _is_url(source):
            expanded.append(source)
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(path.glob("*.xml"))
            if not files:
                raise CodelistImportError(
                    _("%(source)s: no *.xml files in this directory", source=source)
                )
            expanded.extend(str(file) for file in files)
        elif path.is_file():
            expanded.append(str(path))
        else:
            raise CodelistImportError(
                _("%(source)s: no such file, directory or http(s) URL", source=source)
            )
    return expanded


def _is_url(source: str) -> bool:
    return urlparse(source).scheme in {"http", "https"}


def read_source(
    source: str,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> bytes:
    """The bytes of a file or an http(s) URL, refusing anything larger than `max_bytes`."""
    if not _is_url(source):
        try:
            with open(source, "rb") as file:
                content = file.read(max_bytes + 1)
        except OSError as error:
            raise CodelistImportError(
                _(
                    "%(source)s: cannot be read (%(error)s)",
                    source=source,
                    error=error.strerror or str(error),
                )
            ) from error
    else:
        request = urllib.request.Request(source, headers={"User-Agent": "open-results-portal"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                content = response.read(max_bytes + 1)
        except (OSError, ValueError) as error:
            raise CodelistImportError(
                _("%(source)s: could not download (%(error)s)", source=source, error=str(error))
            ) from error
    if len(content) > max_bytes:
        raise CodelistImportError(
            _("%(source)s: larger than %(max_bytes)d bytes", source=source, max_bytes=max_bytes)
        )
    return content


def import_codelists(
    session: Session,
    sources: Iterable[str],
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportReport:
    """Replace each codelist found in `sources`; all or nothing, committed once.

    Every source is read and parsed before the database is touched, so a bad file leaves
    the stored codelists exactly as they were.
    """
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    by_name: dict[str, Codelist] = {}
    for source in expand_sources(sources):
        codelist = parse_codelist(read_source(source, timeout, max_bytes), source)
        # The same codelist given twice: the later source wins, as it would on a re-import.
        by_name[codelist.name] = codelist
    report = ImportReport(codelists=sorted(by_name.values(), key=lambda c: c.name))
    try:
        for codelist in report.codelists:
            session.execute(delete(CodelistEntry).where(CodelistEntry.codelist == codelist.name))
            session.add_all(_entries(codelist))
        session.add(
            ImportRun(
                kind="codelists",
                started_at=started_at,
                finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                report="\n".join(report.lines()),
            )
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report


def _entries(codelist: Codelist) -> list[CodelistEntry]:
    return [
        CodelistEntry(
            codelist=codelist.name,
            code=item.code,
            lang=lang,
            name=name,
            description=item.descriptions.get(lang),
            category=item.category,
            withdrawn=item.withdrawn,
        )
        for item in codelist.items
        for lang, name in item.names.items()
    ]
