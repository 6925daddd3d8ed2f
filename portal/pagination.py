"""One page of a long list: its rows, which page of how many, and "Showing 11 - 20 of 63".

Every list that grows with the data is shown a page at a time, the same way: Our Progress,
Results & Resources, Strategic Plan Contributions and the outcome page's results. The page
number comes from the query string (`?page=2`, checked by
portal.arguments.whole_number_argument: 400 for anything but a whole number); a
page past the last is a 404 that says how many pages there are and links to the first and the
last (PageOutOfRange, rendered by portal.errors), and page 1 of an empty list exists. The
figures and totals of a page are always worked out from every row, never from the page's; the
downloads hold every row.
templates/_macros/pagination.html draws the status line and the links.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from werkzeug.exceptions import NotFound

PAGE_SIZE = 10
"""Rows a page, unless a list says otherwise (Our Progress shows five long narratives)."""

Row = TypeVar("Row")
Other = TypeVar("Other")

PageUrl = Callable[[int], str]
"""The address of a page of a list, by its number: the builder the list's own page links use."""


class PageOutOfRange(NotFound):
    """A page past the last of a list: a 404 whose page names the number of pages and links to
    the first and the last (portal.errors). `page_url` builds those links as the list's own
    page links are built; without it, they are this page's address with another `page`."""

    def __init__(self, requested: int, page_count: int, page_url: PageUrl | None = None) -> None:
        super().__init__()
        self.requested = requested
        self.page_count = page_count
        self.page_url = page_url


@dataclass(frozen=True)
class Page(Generic[Row]):
    """Page `page` of `page_count`: the rows `first` to `last` of `total` (counted from 1)."""

    rows: tuple[Row, ...]
    page: int
    page_count: int
    total: int
    size: int = PAGE_SIZE

    @property
    def first(self) -> int:
        return (self.page - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.size, self.total)

    def with_rows(self, rows: Sequence[Other]) -> Page[Other]:
        """The same page holding other rows (the same ones with more read for them)."""
        return replace(self, rows=tuple(rows))  # type: ignore[arg-type, return-value]


def page_count_of(total: int, size: int = PAGE_SIZE) -> int:
    """How many pages `total` rows fill, `size` a page: at least one (an empty list has one)."""
    return max(1, math.ceil(total / size))


def visible_pages(current: int, page_count: int, window: int | None = None) -> list[int | None]:
    """The page numbers a list's links show, None where a gap ("…") stands: every page, or
    with `window` the first, the last and those within `window` of the current one. Worked
    out here, not by looping over every page in the template (a search for a common word
    at ×10 has 129 pages of outcomes: the loop grew with the results)."""
    if window is None:
        return list(range(1, page_count + 1))
    near = range(max(1, current - window), min(page_count, current + window) + 1)
    shown = sorted({1, page_count, *near} & set(range(1, page_count + 1)))
    numbers: list[int | None] = []
    previous = 0
    for number in shown:
        if previous and number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def check_page_number(number: int, page_count: int, page_url: PageUrl | None = None) -> None:
    """Raise PageOutOfRange for a page past the last (for lists counted, not held, here)."""
    if number > page_count:
        raise PageOutOfRange(number, page_count, page_url)


def page_of(
    items: Sequence[Row], number: int, size: int = PAGE_SIZE, page_url: PageUrl | None = None
) -> Page[Row]:
    """Page `number` of `items`, `size` a page; PageOutOfRange (a 404) for a page past the last,
    its links built by `page_url` when given."""
    page_count = page_count_of(len(items), size)
    check_page_number(number, page_count, page_url)
    start = (number - 1) * size
    return Page(tuple(items[start : start + size]), number, page_count, len(items), size)
