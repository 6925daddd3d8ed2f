"""Issue 15, point 6: the sample banner links to "About the sample data", which says which
mistakes the sample makes on purpose; the portal flags every one of them where it shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from iati.test_data_findings import _activity, _import
from outcomes.reading import soup_of
from portal.config import SUPPORTED_LANGUAGES
from portal.iati.models import Outcome
from portal.quality.models import DataFinding
from portal.sample.about import DELIBERATE_ERRORS


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_banner_links_to_the_page_that_lists_every_deliberate_mistake(
    client, sample_data, lang
):
    home = soup_of(client.get(f"/{lang}/"))
    # A landmark of its own, named by its first words (no content outside a landmark).
    banner = home.select_one("aside.sample-banner")
    assert banner.parent.name == "body"
    name = home.find(id=banner["aria-labelledby"]).get_text().strip()
    assert name and (name == "Sample data." if lang == "en" else name != "Sample data.")
    link = home.select_one(".sample-banner a")
    assert link is not None and link["href"] == f"/{lang}/about-the-sample/"
    page = soup_of(client.get(link["href"]))
    items = page.select(".deliberate-errors li")
    assert len(items) == len(DELIBERATE_ERRORS)
    for item, error in zip(items, DELIBERATE_ERRORS, strict=True):
        hrefs = [a["href"] for a in item.select("a")]
        assert hrefs[1] == f"/{lang}/data-quality/?kind={error.kind}"
        shown = soup_of(client.get(hrefs[0]))
        flags = [summary.get_text() for summary in shown.select("details.quality-flag summary")]
        with client.application.test_request_context(f"/{lang}/"):
            flag = str(error.about.flag)
        assert flag in item.get_text()
        assert any(flag in text for text in flags), (error.kind, hrefs[0])


def test_every_deliberate_mistake_is_a_stored_finding_of_its_kind(sample_data):
    for error in DELIBERATE_ERRORS:
        if error.outcome is not None:
            where = DataFinding.outcome_id.in_(
                select(Outcome.id).where(Outcome.iati_identifier == error.outcome)
            )
        else:
            where = DataFinding.country_iso3 == error.country
        kinds_found = sample_data.scalars(select(DataFinding.kind).where(where)).all()
        assert error.kind in kinds_found, error


def test_the_page_is_not_there_when_the_portal_shows_real_data(client, db_session, tmp_path):
    _import(db_session, tmp_path, _activity())
    home = soup_of(client.get("/en/"))
    assert home.select(".sample-banner") == []
    assert client.get("/en/about-the-sample/").status_code == 404
