"""HTMX asks for one region of a country page; the page itself stays the same document."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from countries.factories import mali
from outcomes.reading import soup_of_any as soup_of
from outcomes.reading import text_of
from portal.config import SUPPORTED_LANGUAGES

HTMX = {"HX-Request": "true"}


# Every fragment also refreshes the language links (tests/countries/test_language_links_oob.py).
LANGUAGE_LINKS = {"language-switcher", "canonical-link"} | {
    f"alternate-{lang}" for lang in (*SUPPORTED_LANGUAGES, "x-default")
}


def oob_ids(fragment: BeautifulSoup) -> set[str]:
    """The regions a fragment refreshes out of band besides the language links."""
    swapped = {element["id"] for element in fragment.find_all(attrs={"hx-swap-oob": "true"})}
    assert swapped >= LANGUAGE_LINKS
    return swapped - LANGUAGE_LINKS


def test_progress_page_two_as_htmx_is_only_the_list(client, db_session):
    mali(db_session)
    page = client.get("/en/countries/MLI/progress?page=2")
    fragment = client.get("/en/countries/MLI/progress?page=2", headers=HTMX)

    assert fragment.status_code == 200
    assert "HX-Request" in fragment.vary
    assert "HX-Request" in page.vary
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "<h1" not in body
    parsed = soup_of(fragment)
    assert text_of(parsed.select_one(".pagination-status")) == "Showing 6 – 9 of 9"
    assert len(parsed.select(".outcome-progress li")) == 4
    assert parsed.find(id="panel-heading") is None  # not the panel, just its list
    assert len(fragment.data) < len(page.data) / 5, (len(fragment.data), len(page.data))


def test_the_page_includes_the_same_list_the_fragment_is(client, db_session):
    mali(db_session)
    page = soup_of(client.get("/en/countries/MLI/progress?page=2"))
    fragment = soup_of(
        client.get(
            "/en/countries/MLI/progress?page=2", headers={**HTMX, "HX-Target": "progress-list"}
        )
    )
    in_page = page.find(id="progress-list")
    assert in_page.find("ol") == fragment.find("ol")
    assert in_page.find("nav") == fragment.find("nav", id="progress-pagination")
    # The Map / Summary links carry the page, so they follow out of band.
    assert oob_ids(fragment) == {"view-toggle"}
    assert fragment.title.get_text().startswith("Our Progress – Mali – 2024 – page 2")


def test_tab_link_swaps_the_panel_and_refreshes_the_links_naming_the_tab(client, db_session):
    mali(db_session)
    response = client.get("/en/countries/MLI/progress", headers={**HTMX, "HX-Target": "panel"})
    assert {"HX-Request", "HX-Target"} <= set(response.vary)
    fragment = soup_of(response)
    assert fragment.find("h1") is None
    heading = fragment.find("h2", id="panel-heading")
    assert text_of(heading) == "Our Progress" and heading.has_attr("data-focus-after-swap")
    assert text_of(fragment.select_one(".pagination-status")) == "Showing 1 – 5 of 9"
    assert oob_ids(fragment) == {"country-tabs", "view-toggle", "country-selector", "download-data"}
    current = fragment.find(id="country-tabs").find("a", attrs={"aria-current": "page"})
    assert text_of(current) == "Our Progress"
    assert fragment.find(id="country-selector")["action"] == "/en/countries/MLI/progress"
    assert fragment.title.get_text().startswith("Our Progress – Mali")


def test_view_toggle_swaps_its_box(client, db_session):
    mali(db_session)
    fragment = soup_of(
        client.get(
            "/en/countries/MLI/progress?page=2&view=summary",
            headers={**HTMX, "HX-Target": "country-view"},
        )
    )
    assert text_of(fragment.find("h2")) == "Summary"
    assert fragment.find(id="panel-heading") is None
    assert oob_ids(fragment) == {"country-tabs", "country-selector", "progress-pagination"}
    pagination = fragment.find(id="progress-pagination")
    assert pagination.find("a", string="Previous")["href"] == (
        "/en/countries/MLI/progress?view=summary"
    )


def test_selector_form_swaps_the_whole_country(client, db_session):
    mali(db_session)
    fragment = soup_of(
        client.get("/en/countries/MLI/?year=2023", headers={**HTMX, "HX-Target": "country-page"})
    )
    assert text_of(fragment.find("h1")) == "Mali"
    assert fragment.find("h1").has_attr("data-focus-after-swap")
    assert fragment.find(id="panel") is not None
    assert oob_ids(fragment) == set()


@pytest.mark.parametrize(
    "extra",
    [{"HX-History-Restore-Request": "true"}, {"HX-Boosted": "true"}],
    ids=["history-restore", "boosted"],
)
def test_history_restore_and_boosted_requests_get_the_whole_page(client, db_session, extra):
    mali(db_session)
    response = client.get(
        "/en/countries/MLI/progress?page=2", headers={**HTMX, "HX-Target": "panel", **extra}
    )
    page = soup_of(response)
    assert page.find("html") is not None
    assert len(page.find_all("h1")) == 1
    assert "HX-Request" in response.vary


def test_htmx_errors_are_fragments_too(client, db_session):
    mali(db_session)
    response = client.get("/en/countries/MLI/progress?page=9", headers=HTMX)
    assert response.status_code == 404
    assert "<html" not in response.get_data(as_text=True)


def test_base_page_asks_htmx_to_restore_history_from_the_server(client, db_session):
    mali(db_session)
    page = soup_of(client.get("/en/countries/MLI/"))
    config = page.find("meta", attrs={"name": "htmx-config"})
    assert '"historyCacheSize": 0' in config["content"]
    assert page.find("script", src=True, string=None) is not None
    assert not [s for s in page.find_all("script") if s.string and s.string.strip()]
