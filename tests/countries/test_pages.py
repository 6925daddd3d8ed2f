"""The country pages as a visitor sees them: header facts, map / summary, selectors, tabs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from countries import factories
from countries.factories import mali
from outcomes.reading import soup_of_any as soup_of
from outcomes.reading import text_of

TAB_PATHS = ("/", "/results-resources", "/progress", "/strategic-plan")


# --- index -------------------------------------------------------------------------------


def test_index_groups_countries_by_region_in_the_visitors_language(client, db_session):
    mali(db_session)
    factories.country_with_outcomes(
        db_session, "GTM", "GT", "Guatemala", outcome_count=1, with_money=False, with_facts=False
    )
    db_session.get(factories.Country, "GTM").region_m49 = "019"
    factories.country(db_session, "FRA", "FR", "France", region_m49="150")  # no outcomes
    db_session.flush()

    page = soup_of(client.get("/fr/countries/"))

    regions = {text_of(h2): h2.find_parent("section") for h2 in page.select("main h2")}
    assert set(regions) == {"Afrique", "Amériques"}
    assert regions["Afrique"].find("a", href="/fr/countries/MLI/").get_text() == "Mali"
    assert regions["Amériques"].find("a", href="/fr/countries/GTM/")
    assert "France" not in page.get_text()


def test_index_shows_the_world_map_with_its_notes(client, db_session):
    mali(db_session)
    page = soup_of(client.get("/en/countries/"))
    svg = page.select_one("figure.map svg.world-map")
    assert svg is not None
    assert svg.find("path", attrs={"data-iso3": "MLI"})["class"] == [
        "map-country",
        "map-country--highlight",
    ]
    notes = text_of(page.select_one(".map-notes"))
    assert "do not imply official endorsement" in notes
    assert "Kosovo" in notes and "1244 (1999)" in notes


# --- header ------------------------------------------------------------------------------


def facts_by_label(page: BeautifulSoup) -> dict[str, BeautifulSoup]:
    return {text_of(fact.dt): fact.dd for fact in page.select(".country-header .fact")}


# The plan periods the migration gives the factories' publisher (XM-DAC-41146, UN Women).
SEEDED_PLAN_PERIODS = ((2014, 2017), (2018, 2021), (2022, 2025), (2026, 2029))


def current_plan_period() -> str:
    """The publisher's plan period covering today, as the header names it."""
    year = dt.date.today().year
    return next(
        (f"{first}-{last}" for first, last in SEEDED_PLAN_PERIODS if first <= year <= last),
        "Not available",
    )


def published_mali(db_session) -> factories.CountryWithOutcomes:
    """Mali with its outcomes published by the factories' publisher, which has plan periods."""
    made = mali(db_session)
    factories.source(db_session, made.outcomes)
    return made


def test_header_shows_each_fact_with_source_year_and_explanation(client, db_session):
    published_mali(db_session)
    page = soup_of(client.get("/en/countries/MLI/"))

    assert [text_of(h1) for h1 in page.find_all("h1")] == ["Mali"]
    facts = facts_by_label(page)
    assert text_of(facts["Region"].select_one(".fact__value")) == "Africa (Western Africa)"
    # Plan periods are the publisher's: the current one is the one covering today.
    assert text_of(facts["Current plan period"].select_one(".fact__value")) == current_plan_period()
    assert text_of(facts["Income classification"].select_one(".fact__value")) == "Low income"
    assert text_of(facts["Least Developed Country"].select_one(".fact__value")) == "Yes"
    gii = facts["Gender Inequality Index"]
    assert text_of(gii.select_one(".fact__value")) == "0.613"
    assert (
        " ".join(gii.select_one(".fact__source").get_text().split())
        == "Source: UNDP HDR 2023/24, 2022"
    )
    population = text_of(facts["Population"].select_one(".fact__value"))
    assert population.startswith("22,593,590")
    assert "Female: 11,296,795 (50.0%)" in population
    assert "Male: 11,296,795 (50.0%)" in population
    for label, fact in facts.items():
        about = fact.find("details")
        assert about is not None and about.find("summary"), label
        assert label in text_of(about.summary)  # tells screen readers which figure


def test_missing_facts_say_not_available(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=1, with_facts=False)
    facts = facts_by_label(soup_of(client.get("/en/countries/MLI/")))
    # Outcomes without a publisher have no plan periods.
    assert text_of(facts["Current plan period"].select_one(".fact__value")) == "Not available"
    for label in (
        "Income classification",
        "Least Developed Country",
        "Gender Inequality Index",
        "Gender Development Index",
        "Population",
    ):
        assert text_of(facts[label].select_one(".fact__value")) == "Not available", label
        assert facts[label].select_one(".fact__source") is None


def test_population_shares_follow_the_counts(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1, with_facts=False)
    iso3 = made.country.iso3
    factories.fact(db_session, iso3, "population_total", 2022, value="1000")
    factories.fact(db_session, iso3, "population_female", 2022, value="512")
    factories.fact(db_session, iso3, "population_male", 2022, value="488")
    population = text_of(facts_by_label(soup_of(client.get("/en/countries/MLI/")))["Population"])
    assert "Female: 512 (51.2%)" in population
    assert "Male: 488 (48.8%)" in population


def test_french_page_formats_numbers_the_french_way(client, db_session):
    mali(db_session)
    response = client.get("/fr/countries/MLI/")
    page = soup_of(response)
    assert page.html["lang"] == "fr"
    population = text_of(facts_by_label(page)["Population"].select_one(".fact__value"))
    assert re.match(r"22\s593\s590", population)
    assert "50,0" in population


# --- map / summary -----------------------------------------------------------------------


def test_map_is_the_default_view_with_text_alternative_and_notes(client, db_session):
    mali(db_session)
    box = soup_of(client.get("/en/countries/MLI/")).find(id="country-view")
    assert text_of(box.h2) == "Map"
    svg = box.select_one("svg[role=img]")
    assert svg.find("path", attrs={"data-iso3": "MLI"}) is not None
    assert "Map showing Mali, in Western Africa." in text_of(box.figcaption)
    assert "Kosovo" in text_of(box.select_one(".map-notes"))
    toggle = box.find("nav", id="view-toggle")
    current = toggle.find("a", attrs={"aria-current": "true"})
    assert text_of(current) == "Map"
    summary_link = toggle.find("a", string="Summary")
    assert summary_link["href"] == "/en/countries/MLI/?view=summary"
    assert summary_link["hx-get"] == summary_link["href"]


@pytest.mark.parametrize("tab", ["", "progress"])
def test_summary_view_tells_the_country_in_words_what_the_figures_do_not(client, db_session, tab):
    published_mali(db_session)
    page = soup_of(client.get(f"/en/countries/MLI/{tab}?view=summary"))
    box = page.find(id="country-view")
    assert text_of(box.h2) == "Summary"
    assert box.find("svg") is None
    summary = text_of(box)
    assert "9 outcomes are published for Mali, active between 2022 and 2025." in summary
    # The delivery rate: $540,000 spent of a $900,000 budget.
    assert "In 2024, 60% of the budget was spent." in summary
    # The figures themselves are the Overview's, shown once (the same box on every tab).
    assert box.select(".figures") == [] and "$" not in summary and "Donor 1" not in summary
    if not tab:
        assert "Budget 2024 $900,000" in text_of(page.find(id="panel"))


def test_summary_view_names_the_publisher_of_each_delivery_rate_when_there_are_several(
    client, db_session
):
    made = published_mali(db_session)
    other = factories.Publisher(
        ref="XM-OTHER", name=factories.Narratives({"en": "Other Publisher"})
    )
    db_session.add(other)
    db_session.flush()
    made.outcomes[0].publisher_id = other.id
    db_session.flush()
    summary = text_of(
        soup_of(client.get("/en/countries/MLI/?view=summary")).find(id="country-view")
    )
    assert "In 2024, Other Publisher spent" in summary
    assert "of the budget was spent" not in summary


def test_summary_view_is_kept_by_the_other_links(client, db_session):
    mali(db_session)
    page = soup_of(client.get("/en/countries/MLI/progress?view=summary&year=2023&page=2"))
    tabs = {text_of(a): a["href"] for a in page.find(id="country-tabs").find_all("a")}
    assert tabs["Overview"] == "/en/countries/MLI/?year=2023&view=summary"
    form = page.find("form", id="country-selector")
    assert form.find("input", attrs={"type": "hidden", "name": "view"})["value"] == "summary"
    assert page.find("nav", id="view-toggle").find("a", string="Map")["href"] == (
        "/en/countries/MLI/progress?year=2023&view=map&page=2"
    )


# --- selectors -----------------------------------------------------------------------------


def test_selector_is_a_labelled_get_form_to_the_current_tab(client, db_session):
    mali(db_session)
    factories.country_with_outcomes(db_session, "SEN", "SN", "Senegal", outcome_count=1)
    page = soup_of(client.get("/en/countries/MLI/progress?year=2023"))
    form = page.find("form", id="country-selector")
    assert form["method"] == "get"
    assert form["action"] == "/en/countries/MLI/progress"
    assert form["hx-get"] == form["action"] and form["hx-target"] == "#country-page"
    assert text_of(page.find("label", attrs={"for": "country-select"})) == "Country"
    assert text_of(page.find("label", attrs={"for": "year-select"})) == "Year"
    countries = [option["value"] for option in form.find(id="country-select").find_all("option")]
    assert countries == ["MLI", "SEN"]
    years = form.find(id="year-select")
    # Every year an outcome is active in (its 2022-2025 dates), newest first.
    assert [option.get_text() for option in years.find_all("option")] == [
        "2025",
        "2024",
        "2023",
        "2022",
    ]
    assert years.find("option", selected=True).get_text() == "2023"
    assert text_of(form.find("button", type="submit")) == "Show"


def test_submitting_the_selector_goes_to_the_clean_country_url(client, db_session):
    mali(db_session)
    factories.country_with_outcomes(db_session, "SEN", "SN", "Senegal", outcome_count=1)
    response = client.get("/en/countries/MLI/progress?country=SEN&year=2023&view=summary")
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/countries/SEN/progress?year=2023&view=summary"
    page = soup_of(client.get(response.headers["Location"]))
    assert text_of(page.h1) == "Senegal"


def test_year_selects_the_data_shown(client, db_session):
    made = mali(db_session)
    factories.budget(db_session, made.outcomes[0], 2023, "5000")
    page = soup_of(client.get("/en/countries/MLI/?year=2023"))
    panel = page.find(id="panel")
    assert "Budget 2023 $5,000" in text_of(panel)
    assert "No spending published for this year" in text_of(panel)


def test_default_year_is_the_latest_year_with_data_that_has_begun(client, db_session):
    made = mali(db_session)
    next_year = dt.date.today().year + 1
    factories.budget(db_session, made.outcomes[0], next_year, "5000")  # planned ahead
    page = soup_of(client.get("/en/countries/MLI/"))
    years = page.find(id="year-select")
    assert years.find("option", selected=True).get_text() == "2024"
    assert years.find("option").get_text() == str(next_year)


def test_a_year_without_data_says_so(client, db_session):
    mali(db_session)
    for path in TAB_PATHS:
        response = client.get(f"/en/countries/MLI{path}?year=2019")
        assert response.status_code == 200
        panel = soup_of(response).find(id="panel")
        assert "There is no data for Mali in 2019." in text_of(panel)
        assert panel.find("a", href="/en/countries/MLI" + path + "?year=2024")


# --- tabs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/", "Overview"),
        ("/results-resources", "Results & Resources"),
        ("/progress", "Our Progress"),
        ("/strategic-plan", "Strategic Plan Contributions"),
    ],
)
def test_each_tab_is_its_own_url_marked_current(client, db_session, path, label):
    mali(db_session)
    page = soup_of(client.get(f"/en/countries/MLI{path}"))
    nav = page.find("nav", id="country-tabs")
    assert nav["aria-label"] == "Country sections"
    assert nav["hx-target"] == "#panel" and nav["hx-push-url"] == "true"
    links = nav.find_all("a")
    assert [text_of(a) for a in links] == [
        "Overview",
        "Results & Resources",
        "Our Progress",
        "Strategic Plan Contributions",
    ]
    assert [text_of(a) for a in nav.find_all("a", attrs={"aria-current": "page"})] == [label]
    for link in links:
        assert link["hx-get"] == link["href"]
    assert text_of(page.find(id="panel").h2) == label
    assert page.title.get_text().startswith(f"{label} – Mali – 2024")
    # Every tab lists the activities active in the year (Our Progress five at a time).
    assert "XM-DAC-41146-MLI_D_1.1 Outcome 1.1 title" in text_of(page.find(id="panel"))


def test_overview_shows_the_year_in_figures_and_the_outcomes(client, db_session):
    mali(db_session)
    panel = soup_of(client.get("/en/countries/MLI/")).find(id="panel")
    figures = {text_of(f.dt): text_of(f.dd) for f in panel.select(".figure")}
    assert figures["Outcomes"] == "9 activities active in 2024"
    assert "Publisher" not in figures  # one publisher: no publisher figure
    assert figures["Budget 2024"] == "$900,000"
    assert figures["Spending 2024"] == "$540,000"
    assert "disbursements" not in figures["Spending 2024"]  # expenditure only: no breakdown
    assert "Ranked by the incoming funds they provided in 2024." in text_of(panel)
    partners = [text_of(li) for li in panel.select(".partners li")]
    # Donors 0-3 fund outcomes 1-9 in turn with 10 000 × the outcome's number.
    assert partners == [
        "Donor 1 $150,000",
        "Donor 0 $120,000",
        "Donor 3 $100,000",
        "Donor 2 $80,000",
    ]
    outcomes = [text_of(li) for li in panel.select(".outcome-list li")]
    assert outcomes[0] == "XM-DAC-41146-MLI_D_1.1 Outcome 1.1 title"
    assert len(outcomes) == 9


def test_money_is_summed_per_currency_and_revised_budgets_replace_originals(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=2, with_money=False)
    first, second = made.outcomes
    factories.budget(db_session, first, 2024, "1000", type_code="1")
    factories.budget(db_session, first, 2024, "1500", type_code="2")  # revises the 1000
    factories.budget(db_session, second, 2024, "700", currency="EUR")
    factories.transaction(db_session, first, "4", dt.date(2024, 5, 1), "300")
    factories.transaction(db_session, second, "4", dt.date(2024, 5, 1), "200", currency="EUR")
    factories.transaction(db_session, second, "4", dt.date(2025, 1, 1), "999")  # next year
    panel = soup_of(client.get("/en/countries/MLI/?year=2024")).find(id="panel")
    figures = {text_of(f.dt): " ".join(f.dd.get_text().split()) for f in panel.select(".figure")}
    assert figures["Budget 2024"] == "€700, $1,500"
    assert figures["Spending 2024"] == "€200, $300"


def test_spending_adds_disbursements_and_expenditure_and_skips_empty_budgets(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=2, with_money=False)
    first, second = made.outcomes
    factories.budget(db_session, first, 2024, "1000")
    factories.budget(db_session, second, 2024, "0")  # zero lines are not added
    factories.budget(db_session, second, 2024, "-50", type_code="2")  # nor negative ones
    factories.transaction(db_session, first, "3", dt.date(2024, 5, 1), "250")  # disbursement
    factories.transaction(db_session, second, "4", dt.date(2024, 6, 1), "100")  # expenditure
    factories.transaction(db_session, second, "2", dt.date(2024, 6, 1), "999")  # commitment
    panel = soup_of(client.get("/en/countries/MLI/?year=2024")).find(id="panel")
    figures = {text_of(f.dt): " ".join(f.dd.get_text().split()) for f in panel.select(".figure")}
    assert figures["Budget 2024"] == "$1,000"
    assert figures["Spending 2024"] == "$350 (disbursements $250; expenditure $100)"


def test_without_incoming_funds_partners_come_from_the_outcomes(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=2, with_money=False)
    factories.budget(db_session, made.outcomes[0], 2024, "1000")
    factories.funding_org(db_session, made.outcomes[0], "XM-DAC-7", "Sweden")
    factories.funding_org(db_session, made.outcomes[1], "XM-DAC-7", "Sweden")
    factories.funding_org(db_session, made.outcomes[1], "XM-DAC-12", "Norway")
    panel = soup_of(client.get("/en/countries/MLI/")).find(id="panel")
    assert [text_of(li) for li in panel.select(".partners li")] == ["Sweden", "Norway"]
    assert "funding organisations named on the outcomes" in text_of(panel)


# --- our progress ----------------------------------------------------------------------------


def progress_items(page: BeautifulSoup) -> list[str]:
    return [
        text_of(item.h3.select_one(".identifier")) for item in page.select(".outcome-progress li")
    ]


def test_progress_shows_five_outcomes_a_page(client, db_session):
    mali(db_session)
    page = soup_of(client.get("/en/countries/MLI/progress"))
    assert text_of(page.select_one(".pagination-status")) == "Showing 1 – 5 of 9"
    assert progress_items(page) == [f"XM-DAC-41146-MLI_D_1.{n}" for n in range(1, 6)]

    page = soup_of(client.get("/en/countries/MLI/progress?page=2"))
    assert text_of(page.select_one(".pagination-status")) == "Showing 6 – 9 of 9"
    assert progress_items(page) == [f"XM-DAC-41146-MLI_D_1.{n}" for n in range(6, 10)]


def test_progress_pagination_is_a_labelled_nav_of_real_links(client, db_session):
    mali(db_session)
    page = soup_of(client.get("/en/countries/MLI/progress?page=2"))
    nav = page.find("nav", attrs={"aria-label": "Pagination"})
    assert nav["hx-target"] == "#progress-list" and nav["hx-push-url"] == "true"
    links = {text_of(a): a for a in nav.find_all("a")}
    assert set(links) == {"Previous", "Page 1", "Page 2"}
    assert links["Previous"]["href"] == "/en/countries/MLI/progress"
    assert links["Page 2"]["aria-current"] == "page"
    assert links["Page 2"]["href"] == "/en/countries/MLI/progress?page=2"
    assert all(a["hx-get"] == a["href"] for a in links.values())
    first = soup_of(client.get("/en/countries/MLI/progress")).find(
        "nav", attrs={"aria-label": "Pagination"}
    )
    assert [text_of(a) for a in first.find_all("a")] == ["Page 1", "Page 2", "Next"]


def test_progress_orders_identifiers_naturally(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=12)
    page = soup_of(client.get("/en/countries/MLI/progress?page=3"))
    assert text_of(page.select_one(".pagination-status")) == "Showing 11 – 12 of 12"
    assert progress_items(page) == ["XM-DAC-41146-MLI_D_1.11", "XM-DAC-41146-MLI_D_1.12"]


def test_progress_shows_the_years_narrative_in_the_visitors_language_or_the_original(
    client, db_session
):
    mali(db_session)
    items = soup_of(client.get("/en/countries/MLI/progress?year=2024")).select(
        ".outcome-progress li"
    )
    texts = {text_of(item.h3.select_one(".identifier")): item for item in items}
    assert "In 2024 outcome 1.1 reached 90 women." in text_of(texts["XM-DAC-41146-MLI_D_1.1"])
    assert "No progress narrative is published for 2024." in text_of(
        texts["XM-DAC-41146-MLI_D_1.2"]
    )
    french = texts["XM-DAC-41146-MLI_D_1.3"].find(attrs={"lang": "fr"})
    assert text_of(french) == "En 2024 le résultat 1.3 a avancé."

    items = soup_of(client.get("/en/countries/MLI/progress?year=2023")).select(
        ".outcome-progress li"
    )
    assert "In 2023 outcome 1.1 trained 40 women." in text_of(items[0])


def test_progress_of_a_later_plan_period_replaces_reused_identifiers(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=2, with_money=False)
    older = factories.outcome(db_session, "MLI", "9.9", plan_period="2018-2021")
    factories.narrative(db_session, older, 2020, {"en": "Old plan narrative."})
    factories.source(db_session, [*made.outcomes, older])
    page = soup_of(client.get("/en/countries/MLI/progress?year=2020"))
    assert progress_items(page) == ["XM-DAC-41146-MLI_D_9.9"]
    panel = page.find(id="panel")
    assert "Old plan narrative." in text_of(panel)
    # The year's plan period is the publisher's period covering 2020; the header's is today's.
    assert "Outcomes of the 2018-2021 plan period" in text_of(panel.select_one(".panel__period"))
    header = facts_by_label(page)
    assert (
        text_of(header["Current plan period"].select_one(".fact__value")) == current_plan_period()
    )
    assert made.outcomes  # the newer period's outcomes exist but are not active in 2020


# --- below the panel --------------------------------------------------------------------------


def test_download_section_links_work_and_feedback_is_linked(client, db_session):
    mali(db_session)
    page = soup_of(client.get("/en/countries/MLI/"))
    downloads = page.find(id="download-heading").find_parent("section")
    links = [link["href"] for link in downloads.find_all("a")]
    assert any(href.endswith(".csv") or ".csv?" in href for href in links)
    for href in links:
        response = client.get(href)
        assert response.status_code == 200, href
        response.close()
    notes = page.find(id="notes-heading").find_parent("section")
    assert "never added together" in text_of(notes)
    feedback = page.find(id="feedback-invitation-heading").find_parent("section")
    link = feedback.find("a")
    assert link["href"] == "/en/survey/"
    assert client.get(link["href"]).status_code == 200


def test_lower_case_code_redirects_permanently_keeping_the_query(client, db_session):
    mali(db_session)
    response = client.get("/en/countries/mli/progress?page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == "/en/countries/MLI/progress?page=2"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_english_names_of_sources_are_marked_english(client, db_session, lang):
    """The reference data names its sources in English: a French or Spanish screen reader
    voice reads them as English."""
    mali(db_session)
    page = soup_of(client.get(f"/{lang}/countries/MLI/"))
    sources = page.select(".country-header .fact__source")
    assert sources
    for source in sources:
        marked = source.find("span", attrs={"lang": "en"})
        assert marked is not None and marked.get_text().strip(), source
