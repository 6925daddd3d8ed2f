"""Issue 17.5: every tab of a country (and region) page invites feedback once, below the panel,
with a button-styled link to the survey; no HTMX swap repeats or removes the invitation."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import render_template, url_for

from countries.factories import mali
from outcomes.reading import soup_of, text_of
from portal.countries.navigation import OVERVIEW, TABS
from portal.countries.views import FRAGMENTS_BY_TARGET

TAB_PATHS = ("/", "/results-resources", "/progress", "/strategic-plan")
INVITATION = "section[aria-labelledby=feedback-invitation-heading]"


def invitations(page: BeautifulSoup) -> list:
    return page.select(INVITATION)


@pytest.mark.parametrize("tab", TAB_PATHS)
def test_every_tab_invites_feedback_once_below_the_panel(client, db_session, tab):
    mali(db_session)
    page = soup_of(client.get(f"/fr/countries/MLI{tab}"))
    (section,) = invitations(page)
    assert section.find_parent("main") is not None
    assert section.find_previous(id="panel") is not None  # below the panel, not above it
    assert text_of(section.find("h2", id="feedback-invitation-heading")) == "Votre avis"
    (button,) = section.select("a.button")
    assert button["href"] == "/fr/survey/"
    assert text_of(button)
    assert soup_of(client.get(button["href"])).h1 is not None  # the survey is there


@pytest.mark.parametrize("target", sorted(FRAGMENTS_BY_TARGET))
def test_no_htmx_swap_repeats_or_removes_the_invitation(app, client, db_session, target):
    """Each region HTMX may swap lies outside the invitation, and no fragment (nor any of its
    out-of-band parts) carries one: after any swap the page still has exactly one."""
    mali(db_session)
    tab = next((tab for tab in TABS if tab.list_id == target), OVERVIEW)  # the tab showing it
    with app.test_request_context():
        url = url_for(tab.endpoint, lang="en", iso3="MLI")
    page = soup_of(client.get(url))
    swapped = page.find(id=target)
    assert swapped is not None, target
    assert not swapped.select(INVITATION)
    fragment = soup_of(client.get(url, headers={"HX-Request": "true", "HX-Target": target}))
    assert fragment.find("main") is None  # a fragment, not the page
    assert not invitations(fragment)
    # The swap itself, as HTMX does it (innerHTML of the target; out-of-band parts by id).
    swapped.clear()
    swapped.append(BeautifulSoup(str(fragment), "html.parser"))
    assert len(invitations(page)) == 1


def test_a_region_page_invites_feedback_too(client, sample_data):
    page = soup_of(client.get("/en/regions/298/"))
    (section,) = invitations(page)
    assert section.select_one("a.button")["href"] == "/en/survey/"


def test_no_survey_no_invitation(app):
    """The view passes survey_url=None while the survey does not exist: no dead link."""
    with app.test_request_context("/en/countries/MLI/"):
        without = BeautifulSoup(
            render_template("countries/_feedback.html", survey_url=None), "html.parser"
        )
        with_survey = BeautifulSoup(
            render_template("countries/_feedback.html", survey_url="/en/survey/"), "html.parser"
        )
    assert not invitations(without) and not without.get_text(strip=True)
    assert len(invitations(with_survey)) == 1
