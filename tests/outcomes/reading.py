"""Reading figures back from the pages as a visitor sees them (English pages)."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "CA$": "CAD"}


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return soup_of_any(response)


def every_page(client, url: str, first: BeautifulSoup | None = None) -> list[BeautifulSoup]:
    """The page and each next one its pagination links to; `first`: the page at `url`, when
    the caller has it already."""
    pages = []
    while url:
        page = first if first is not None and not pages else soup_of(client.get(url))
        pages.append(page)
        following = page.select_one("nav.pagination a[rel=next]")
        url = urljoin(url, following["href"]) if following else None
    return pages


def listed_outcomes(client, url: str, first: BeautifulSoup | None = None) -> list[str]:
    """The identifiers of the outcomes an Overview (country or region) at `url` lists, over
    every page of its list, in order (`first`: the page at `url`, when the caller has it)."""
    return [
        text_of(item.select_one(".identifier"))
        for page in every_page(client, url, first)
        for item in page.select("#outcome-list .outcome-list > li")
    ]


def soup_of_any(response) -> BeautifulSoup:
    """The answer's HTML, whatever its status. A whole page is parsed by lxml (several times as
    fast as html.parser: the agreement tests read every page of the six files); a fragment by
    html.parser, which adds no <html> or <body> around it."""
    text = response.get_data(as_text=True)
    whole = text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))
    return BeautifulSoup(text, "lxml" if whole else "html.parser")


def assert_error_page(client, path: str, status_code: int) -> None:
    """`path` (an English address) answers `status_code` with the portal's own error page, one
    `<h1>`, and so does the French address, in French."""
    response = client.get(path)
    assert response.status_code == status_code
    page = soup_of_any(response)
    assert page.html["lang"] == "en" and len(page.find_all("h1")) == 1
    french = client.get(path.replace("/en/", "/fr/", 1))
    assert french.status_code == status_code
    assert soup_of_any(french).html["lang"] == "fr"


def text_of(element: Tag) -> str:
    """The text with elements separated (dt, dd, cells…), whitespace collapsed."""
    return " ".join(element.get_text(" ").split())


def inline_text(element: Tag) -> str:
    """The text as a line reads it: inline elements run on ("Donor 2: $20,000")."""
    return " ".join(element.get_text().split())


def amount(text: str) -> tuple[str, Decimal]:
    """("USD", 1234) from "$1,234" or "€1,234" as the English pages write money."""
    text = text.strip()
    match = re.fullmatch(r"(-?)([^\d\s-]*)\s*([\d,]+(?:\.\d+)?)\s*([A-Z]{3})?", text)
    assert match, f"not an amount: {text!r}"
    sign, symbol, digits, code = match.groups()
    currency = code or CURRENCY_SYMBOLS.get(symbol, symbol)
    return currency, Decimal(sign + digits.replace(",", ""))


def amounts_in(element: Tag | None) -> dict[str, Decimal]:
    """Every amount (span.money) in an element, by currency; {} when it says none."""
    if element is None:
        return {}
    found: dict[str, Decimal] = {}
    for money in element.select("span.money"):
        currency, value = amount(money.get_text())
        assert currency not in found, f"{currency} twice in {text_of(element)}"
        found[currency] = value
    return found


def spending_in(element: Tag | None) -> dict[str, Decimal]:
    """A spending figure's total by currency, without its "(disbursements …; expenditure …)"
    breakdown (whose amounts are parts of the total)."""
    if element is None:
        return {}
    found: dict[str, Decimal] = {}
    for money in element.select("span.money"):
        if money.find_parent(class_="spending-breakdown") is not None:
            continue
        currency, value = amount(money.get_text())
        assert currency not in found, f"{currency} twice in {text_of(element)}"
        found[currency] = value
    return found


def breakdown_in(element: Tag | None) -> dict[str, dict[str, Decimal]]:
    """A spending figure's breakdown: {"disbursements": {...}, "expenditure": {...}}, or {}."""
    part = element.select_one(".spending-breakdown") if element is not None else None
    if part is None:
        return {}
    found: dict[str, dict[str, Decimal]] = {}
    label = None
    for node in part.descendants:
        if isinstance(node, str) and "money" not in (node.parent.get("class") or []):
            words = re.sub(r"[^a-z ]", " ", node.lower()).split()
            if words:
                label = words[-1]
        elif isinstance(node, Tag) and "money" in (node.get("class") or []):
            currency, value = amount(node.get_text())
            found.setdefault(label or "", {})[currency] = value
    return found


def money_figures(block: Tag) -> dict[str, Tag]:
    """A money-figures box: its dt texts → dd elements."""
    return {text_of(dt): dt.find_next_sibling("dd") for dt in block.select("dt")}


def figures_box(container: Tag, heading: str) -> dict[str, Tag]:
    """The money-figures box headed `heading` ("Year 2024", "Plan period 2022-2025")."""
    for block in container.select(".money-figures"):
        if text_of(block.select_one(".money-figures__heading")) == heading:
            return money_figures(block)
    raise AssertionError(f"no money figures headed {heading!r}")


def add(*parts: dict[str, Decimal]) -> dict[str, Decimal]:
    total: dict[str, Decimal] = {}
    for part in parts:
        for currency, value in part.items():
            total[currency] = total.get(currency, Decimal(0)) + value
    return total


def every_outcome_item(client, url: str) -> dict[str, Tag]:
    """Results & Resources: each outcome's list item, from every page of the list."""
    return {
        identifier: item
        for page in every_page(client, url)
        for identifier, item in outcome_items(page).items()
    }


def outcome_items(panel: Tag) -> dict[str, Tag]:
    """Results & Resources: each outcome's list item by its IATI identifier."""
    return {
        text_of(item.select_one(".identifier")): item
        for item in panel.select("li.outcome-resources")
    }
