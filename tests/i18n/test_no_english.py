"""Every page in French and Spanish is free of English interface text.

Pages are found, not listed: every GET route whose only argument is the language, then every
page linked from those (country pages, their tabs, survey steps…), so pages added later are
covered without touching this test. Each page is rendered in English and in the other
language, and no visible English text may appear unchanged in the translation, except text
marked with another `lang` (publisher narratives shown in their original language, the
language switcher's autonyms), code (<code>, <kbd>, <samp>, <var>, or anything marked
translate="no") and the entries of ALLOWED_IDENTICAL below.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from babel import Locale
from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from portal.countries.importer import import_country_files
from portal.iati.importer import import_sources
from portal.sample.operations import SAMPLE_ACTIVITIES, SAMPLE_COUNTRY_FACTS
from quality.page_checker import page_language_tag

TRANSLATED_LANGUAGES = [lang for lang in SUPPORTED_LANGUAGES if lang != DEFAULT_LANGUAGE]

# Texts that are rightly the same in English and the translation; keep each one explained.
ALLOWED_IDENTICAL = {
    "fr": {
        "Population",  # country header: the same word in French
        "Budget",  # column and chart heading: the same word in French
        "Page",  # hidden prefix of the page numbers ("Page 2"): the same word in French
        "Source",  # "Source : <the source's English name>" (the name marked lang="en")
        "Impact",  # IATI result type 3: "Impact" in the IATI French codelist too
        "Nominal",  # IATI indicator measure 3: the same word in French
        "Ordinal",  # IATI indicator measure 4: the same word in French
        "Total",  # the overview's total row: the same word in French
        # The sample's deliberate placeholder (an output description, the same in its English
        # and French narratives): publisher data, flagged as a placeholder, not interface text
        "Lorem ipsum dolor sit amet",
    },
    "es": {
        "No",  # "No" as the answer (least developed country: no): the same word in Spanish
        "Nominal",  # IATI indicator measure 3: the same word in Spanish
        "Ordinal",  # IATI indicator measure 4: the same word in Spanish
        "Total",  # the overview's total row: the same word in Spanish
    },
}

# Text read aloud or shown on hover counts as interface text too.
TEXT_ATTRIBUTES = ("alt", "title", "aria-label", "aria-description", "placeholder")
HIDDEN_ELEMENTS = ("script", "style", "template", "noscript")
# Code the visitor types or reads as code (API paths, column and parameter names): not prose.
CODE_ELEMENTS = ("code", "kbd", "samp", "var")
HAS_LETTER = re.compile(r"[^\W\d_]")
# Codes and identifiers: one token with a digit or underscore (XM-DAC-41146-MLI_D_1.1,
# 2022-2025), or a short all-capitals code (USD, MLI, CSV, IATI).
IDENTIFIER = re.compile(r"^(?=\S*[\d_])\S+$|^[A-Z]{2,5}$")
MAX_PAGES_PER_KIND = 2
DOWNLOAD_FILE = re.compile(r"\.(csv|xlsx|json|xml|zip|pdf)$", re.IGNORECASE)
EDGE_PUNCTUATION = " :;,.·–—-()[]«»\"'\u00a0\u202f"


@pytest.fixture
def sample_client(client, db_session):
    """The test client on the bundled sample data, loaded through the importers."""
    import_country_files(db_session, [SAMPLE_COUNTRY_FACTS])
    import_sources(db_session, [SAMPLE_ACTIVITIES], is_sample=True)
    db_session.commit()
    return client


def _language_of(node: Tag | NavigableString, page_lang: str) -> str:
    """The language a node is in: its nearest `lang` attribute, else the page's."""
    element = node if isinstance(node, Tag) else node.parent
    while element is not None:
        if isinstance(element, Tag) and element.has_attr("lang"):
            return element["lang"].strip().lower().split("-")[0]
        element = element.parent
    return page_lang


def _normalise(text: object) -> str:
    """Whitespace collapsed and the punctuation around a text dropped (": Population")."""
    return " ".join(str(text).split()).strip(EDGE_PUNCTUATION)


def _is_interface_text(text: str) -> bool:
    return bool(HAS_LETTER.search(text)) and not IDENTIFIER.match(text)


def visible_texts(html: str, page_lang: str) -> set[str]:
    """Text the visitor sees or hears in the page's own language, whitespace collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(HIDDEN_ELEMENTS + CODE_ELEMENTS):
        element.decompose()
    for element in soup.find_all(attrs={"translate": "no"}):
        element.decompose()
    texts: set[str] = set()
    for string in soup.find_all(string=True):
        if isinstance(string, Comment | Doctype):
            continue
        text = _normalise(string)
        if _is_interface_text(text) and _language_of(string, page_lang) == page_lang:
            texts.add(text)
    for element in soup.find_all(True):
        if _language_of(element, page_lang) != page_lang:
            continue
        for attribute in TEXT_ATTRIBUTES:
            text = _normalise(element.get(attribute, ""))
            if _is_interface_text(text):
                texts.add(text)
        if element.name == "input" and element.get("type") in {"submit", "button", "reset"}:
            text = _normalise(element.get("value", ""))
            if _is_interface_text(text):
                texts.add(text)
    return texts


def names_alike_in(lang: str) -> set[str]:
    """Place and language names CLDR spells the same in English and `lang` (Mali, Senegal)."""
    english, other = Locale(DEFAULT_LANGUAGE), Locale(lang)
    alike = {
        name for code, name in english.territories.items() if other.territories.get(code) == name
    }
    alike |= {name for code, name in english.languages.items() if other.languages.get(code) == name}
    return alike


def _routes_with_only_a_language(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and rule.arguments == {"lang"}:
            urls.append(rule.build({"lang": DEFAULT_LANGUAGE}, append_unknown=False)[1])
    return sorted(urls)


def _endpoint(app, url: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    parts = urlsplit(url)
    try:
        endpoint, _arguments = adapter.match(parts.path, method="GET")
    except Exception:  # a redirect, a 404 or a route without GET: not a page to check
        return None
    return endpoint


def _is_page_link(href: str, prefix: str) -> bool:
    """A link to another page of the site in English; files (progress.csv, .xml) are not pages."""
    path = urlsplit(href).path
    return path.startswith(prefix) and not DOWNLOAD_FILE.search(path)


def discover_pages(app, client) -> Iterator[tuple[str, str]]:
    """English pages (URL, HTML): language-only routes and what they link to.

    A few pages of each kind, where a kind is an endpoint with the names of its query
    arguments, so that states such as ?page=2 or ?view=summary are visited too.
    """
    prefix = f"/{DEFAULT_LANGUAGE}/"
    queue = deque(_routes_with_only_a_language(app))
    seen: set[str] = set(queue)
    visited_per_kind: Counter[tuple[str, tuple[str, ...]]] = Counter()
    while queue:
        url = queue.popleft()
        endpoint = _endpoint(app, url)
        kind = (endpoint, tuple(sorted(parse_qs(urlsplit(url).query))))
        limit = MAX_PAGES_PER_KIND if not kind[1] else 1  # one ?view=summary is enough
        if endpoint is None or visited_per_kind[kind] >= limit:
            continue
        response = client.get(url)
        is_page = response.status_code == 200 and response.mimetype == "text/html"
        html = response.get_data(as_text=True) if is_page else ""
        response.close()  # a streamed download must end before the next request starts
        if not is_page:
            continue
        visited_per_kind[kind] += 1
        yield url, html
        soup = BeautifulSoup(html, "html.parser")
        for link in soup.find_all("a", href=True):
            target = link["href"].split("#", 1)[0]
            if _is_page_link(target, prefix) and target not in seen:
                seen.add(target)
                queue.append(target)


def test_no_english_interface_text(app, sample_client):
    """Both translations checked against one crawl of the English site."""
    english_pages = dict(discover_pages(app, sample_client))
    endpoints = {_endpoint(app, url) for url in english_pages}
    # Discovery really walked the site: the home page led to the country pages.
    assert {"home.index", "countries.overview"} <= endpoints, sorted(endpoints)
    english_on_translated_pages: dict[str, list[str]] = {}
    for lang in TRANSLATED_LANGUAGES:
        allowed = ALLOWED_IDENTICAL.get(lang, set()) | names_alike_in(lang)
        for url, english_html in english_pages.items():
            translated_url = f"/{lang}/" + url.removeprefix(f"/{DEFAULT_LANGUAGE}/")
            response = sample_client.get(translated_url)
            assert response.status_code == 200, translated_url
            translated_html = response.get_data(as_text=True)
            assert f'<html lang="{page_language_tag(lang)}"' in translated_html, translated_url
            english = visible_texts(english_html, DEFAULT_LANGUAGE)
            untranslated = sorted(english & visible_texts(translated_html, lang) - allowed)
            if untranslated:
                english_on_translated_pages[translated_url] = untranslated
    assert not english_on_translated_pages, (
        "English text on translated pages (translate it, mark data with its own lang, or "
        "run make compile-translations):\n"
        + "\n".join(f"{url}: {texts}" for url, texts in english_on_translated_pages.items())
    )


def test_text_in_another_language_is_not_interface_text():
    html = """<html lang="fr"><head><title>Portail</title><style>p{}</style></head><body>
      <p>Bonjour <span lang="en">Hello</span></p><a href="/en/" lang="en">English</a>
      <button aria-label="Fermer">×</button><p>XM-DAC-41146-MLI_D_1.1</p><p>2 024</p>
      <p>Utilisez <code>GET /api/v1/countries</code></p><p translate="no">page</p>
      <script>var english = "Hello";</script></body></html>"""
    assert visible_texts(html, "fr") == {"Portail", "Bonjour", "Fermer", "Utilisez"}
