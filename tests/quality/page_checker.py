"""The page checker: every HTML response the test client sees must be accessible markup.

The test client class below runs `check_response` on each response, so any test that requests
a page also checks it (Notify's `client_request` idea). The checks are the ones a reviewer would
otherwise do by eye: language and direction, one <h1>, a title, a skip link to <main>, unique ids,
labelled form controls, no dead `#`/`javascript:` links, HTMX only on real links and forms, and
HTMX fragments that are fragments and say they vary.

Opt out for a request that is deliberately odd with `client.check_html = False`.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

import lxml.html
from flask.testing import FlaskClient
from lxml.etree import ParserError
from lxml.html import HtmlElement
from werkzeug.test import TestResponse

from portal.config import SUPPORTED_LANGUAGES

# What a page in the language of its URL prefix declares: the portal's Chinese is written in
# simplified characters (BCP 47 "zh-Hans"); Arabic runs right to left.
PAGE_LANGUAGE_TAGS = {"zh": "zh-Hans"}
RIGHT_TO_LEFT = {"ar"}


def page_language_tag(lang: str) -> str:
    """The `lang` / `hreflang` of pages whose URL prefix is `lang`."""
    return PAGE_LANGUAGE_TAGS.get(lang, lang)


HTMX_REQUEST_ATTRIBUTES = ("hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete")
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
FORM_CONTROLS = {"input", "select", "textarea"}
DEAD_HREF = re.compile(r"^\s*(#\s*$|javascript:)", re.IGNORECASE)
DOCUMENT_TAG = re.compile(r"<\s*(!doctype|html|head|body)[\s>]", re.IGNORECASE)
HTML_START_TAG = re.compile(r"<html[\s>]", re.IGNORECASE)


def is_fragment_request(headers: Mapping[str, str]) -> bool:
    """The request the portal answers with a fragment: HTMX, not boosted, not a history restore."""
    return (
        _is_true(headers.get("HX-Request"))
        and not _is_true(headers.get("HX-Boosted"))
        and not _is_true(headers.get("HX-History-Restore-Request"))
    )


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def page_problems(
    html: str, *, fragment: bool = False, url_language: str | None = None
) -> list[str]:
    """Everything wrong with one HTML document (or, with `fragment`, one HTMX fragment)."""
    if not html.strip():
        return [] if fragment else ["an empty answer where a page was expected"]
    try:
        root = lxml.html.document_fromstring(html)
    except ParserError as error:
        return [f"the HTML cannot be parsed: {error}"]
    problems: list[str] = []
    if fragment:
        problems += _fragment_problems(html)
    elif not HTML_START_TAG.search(html):
        problems.append("no <html> element (a full page must be a whole document)")
    else:
        problems += _document_problems(root, url_language)
    problems += _duplicate_id_problems(root)
    problems += _label_problems(root)
    problems += _link_problems(root)
    problems += _htmx_problems(root)
    return problems


def response_problems(
    response: TestResponse, request_headers: Mapping[str, str], path: str
) -> list[str]:
    """Problems of an HTML response; other responses (redirects, CSV, JSON, HEAD) have none.

    An HTMX request may reach a view that has no fragment and answers every request with the
    same whole page, without `Vary`: that answer is checked as a page. A view that varies must
    answer it with a fragment, and a fragment must say that it varies.
    """
    if not is_checked_response(response):
        return []
    text = response_text(response)
    language = _url_language(path)
    if not is_fragment_request(request_headers):
        return page_problems(text, url_language=language)
    varies = "hx-request" in {value.lower() for value in response.vary}
    if not varies and DOCUMENT_TAG.search(text):
        return page_problems(text, url_language=language)
    problems = page_problems(text, fragment=True)
    if not varies:
        problems.append("an HTMX fragment response lacks 'Vary: HX-Request'")
    return problems


def is_checked_response(response: TestResponse) -> bool:
    if response.mimetype != "text/html" or 300 <= response.status_code < 400:
        return False
    if response.request is not None and response.request.method == "HEAD":
        return False
    return response.status_code != 204


def response_text(response: TestResponse) -> str:
    """The body as text, decompressed when the response was gzip- or brotli-encoded."""
    body = response.get_data()
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        import brotli

        body = brotli.decompress(body)
    elif encoding != "identity":
        raise AssertionError(f"the page checker cannot read Content-Encoding {encoding!r}")
    return body.decode(response.mimetype_params.get("charset", "utf-8"))


def check_response(response: TestResponse) -> None:
    """Raise AssertionError listing every problem of `response`, with the URL it answered."""
    request = response.request
    headers = request.headers if request is not None else {}
    path = request.path if request is not None else ""
    problems = response_problems(response, headers, path)
    if problems:
        url = request.full_path.rstrip("?") if request is not None else "(unknown URL)"
        kind = "fragment" if is_fragment_request(headers) else "page"
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise AssertionError(
            f"The page checker found {len(problems)} problem(s) in the {kind} "
            f"{request.method if request is not None else 'GET'} {url} "
            f"({response.status_code}):\n{listing}"
        )


class CheckedClient(FlaskClient):
    """A Flask test client that runs the page checker on every HTML response it returns."""

    check_html = True

    def open(self, *args, **kwargs) -> TestResponse:
        response = super().open(*args, **kwargs)
        if self.check_html:
            for earlier in response.history:
                check_response(earlier)
            check_response(response)
        return response


def _url_language(path: str) -> str | None:
    prefix = path.strip("/").split("/", 1)[0]
    return prefix if prefix in SUPPORTED_LANGUAGES else None


def _elements(root: HtmlElement, *tags: str) -> Iterator[HtmlElement]:
    """Elements (not comments or processing instructions) in document order."""
    for element in root.iter(*tags):
        if isinstance(element.tag, str):
            yield element


def _document_problems(root: HtmlElement, url_language: str | None) -> list[str]:
    problems: list[str] = []
    lang = (root.get("lang") or "").strip()
    if not lang:
        problems.append("<html> has no lang attribute")
    elif url_language and lang != page_language_tag(url_language):
        problems.append(f"<html lang={lang!r}> but the URL is in {url_language!r}")
    direction = (root.get("dir") or "").strip()
    if direction not in {"ltr", "rtl"}:
        problems.append("<html> has no dir attribute ('ltr' or 'rtl')")
    elif url_language and direction != ("rtl" if url_language in RIGHT_TO_LEFT else "ltr"):
        problems.append(f"<html dir={direction!r}> but the URL is in {url_language!r}")
    title = root.find(".//title")
    if title is None or not title.text_content().strip():
        problems.append("no <title> or an empty one")
    headings = list(_elements(root, "h1"))
    if len(headings) != 1:
        problems.append(f"{len(headings)} <h1> elements (a page has exactly one)")
    problems += _skip_link_problems(root)
    return problems


def _skip_link_problems(root: HtmlElement) -> list[str]:
    problems: list[str] = []
    body = root.find("body")
    first_focusable = next(
        (
            element
            for element in _elements(body if body is not None else root)
            if _focusable(element)
        ),
        None,
    )
    if (
        first_focusable is None
        or first_focusable.tag != "a"
        or first_focusable.get("href") != "#main"
    ):
        found = _describe(first_focusable) if first_focusable is not None else "nothing"
        problems.append(f'the first focusable element is not a skip link href="#main" ({found})')
    main = next((element for element in _elements(root) if element.get("id") == "main"), None)
    if main is None or main.tag != "main":
        problems.append('no <main id="main"> for the skip link to land on')
    return problems


def _focusable(element: HtmlElement) -> bool:
    """In the Tab order: links, form controls, <summary>, and positive or zero tabindex."""
    tabindex = element.get("tabindex")
    if tabindex is not None:
        return not tabindex.strip().startswith("-")
    if element.tag in {"a", "area"}:
        return element.get("href") is not None
    if element.tag == "input":
        return (element.get("type") or "").lower() != "hidden"
    return element.tag in {"button", "select", "textarea", "summary"} or (
        element.get("contenteditable") is not None
    )


def _fragment_problems(html: str) -> list[str]:
    tags = sorted({match.group(1).lower() for match in DOCUMENT_TAG.finditer(html)})
    if tags:
        listed = ", ".join(f"<{tag}>" for tag in tags)
        return [f"an HTMX fragment contains {listed} (it would nest a whole page in the target)"]
    return []


def _ids(root: HtmlElement) -> list[str]:
    return [element.get("id") for element in _elements(root) if element.get("id") is not None]


def _duplicate_id_problems(root: HtmlElement) -> list[str]:
    counts = Counter(_ids(root))
    return [f'id="{name}" is used {count} times' for name, count in counts.items() if count > 1]


def _label_problems(root: HtmlElement) -> list[str]:
    labelled_ids = {label.get("for") for label in _elements(root, "label") if label.get("for")}
    all_ids = set(_ids(root))
    problems: list[str] = []
    for control in _elements(root, *FORM_CONTROLS):
        kind = (control.get("type") or "text").lower() if control.tag == "input" else None
        if kind == "image":
            if not (control.get("alt") or "").strip():
                problems.append(f"image button without alt text: {_describe(control)}")
            continue
        if kind in UNLABELLED_INPUT_TYPES:
            continue
        if _has_label(control, labelled_ids, all_ids):
            continue
        problems.append(f"form control without a label: {_describe(control)}")
    return problems


def _has_label(control: HtmlElement, labelled_ids: set[str], all_ids: set[str]) -> bool:
    if control.get("id") and control.get("id") in labelled_ids:
        return True
    if next(control.iterancestors("label"), None) is not None:
        return True
    if (control.get("aria-label") or "").strip():
        return True
    labelled_by = (control.get("aria-labelledby") or "").split()
    return bool(labelled_by) and all(name in all_ids for name in labelled_by)


def _link_problems(root: HtmlElement) -> list[str]:
    problems = [
        f"link to nowhere (href={element.get('href')!r}): {_describe(element)}"
        for element in _elements(root, "a", "area")
        if element.get("href") is not None and DEAD_HREF.match(element.get("href"))
    ]
    problems += [
        f"form posts to javascript: {_describe(form)}"
        for form in _elements(root, "form")
        if (form.get("action") or "").strip().lower().startswith("javascript:")
    ]
    return problems


def _htmx_problems(root: HtmlElement) -> list[str]:
    problems: list[str] = []
    for element in _elements(root):
        if _requests_with_htmx(element) and not _works_without_javascript(element):
            problems.append(
                "HTMX request on an element that does nothing without JavaScript (use an "
                f"<a href> or a <form action>): {_describe(element)}"
            )
    return problems


def _requests_with_htmx(element: HtmlElement) -> bool:
    attributes = element.attrib
    return any(
        name in attributes or f"data-{name}" in attributes for name in HTMX_REQUEST_ATTRIBUTES
    )


def _works_without_javascript(element: HtmlElement) -> bool:
    """An <a> with a real href, a <form> with an action, or a control inside such a form."""
    if element.tag == "a":
        href = element.get("href")
        return bool(href and href.strip()) and not DEAD_HREF.match(href)
    if element.tag == "form":
        return _has_real_action(element)
    if element.tag in {"button", *FORM_CONTROLS}:
        form = next(element.iterancestors("form"), None)
        return form is not None and _has_real_action(form)
    return False


def _has_real_action(form: HtmlElement) -> bool:
    action = form.get("action")
    return action is not None and not DEAD_HREF.match(action or "#")


def _describe(element: HtmlElement) -> str:
    """A short opening tag to find the element by, e.g. <input name="year" type="text">."""
    attributes = " ".join(
        f'{name}="{value}"' for name, value in _interesting_attributes(element.attrib)
    )
    return f"<{element.tag}{' ' if attributes else ''}{attributes}>"


def _interesting_attributes(attributes: Mapping[str, str]) -> Iterable[tuple[str, str]]:
    shown = ("id", "name", "type", "href", "action", "class", *HTMX_REQUEST_ATTRIBUTES)
    return ((name, attributes[name]) for name in shown if name in attributes)
