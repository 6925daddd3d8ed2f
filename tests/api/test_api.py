"""The open data API: what it answers agrees with the pages; pages of results link each other;
labels follow `lang`; ETags, CORS and JSON errors behave as a client expects."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale
from sqlalchemy.exc import OperationalError

from countries import factories
from countries.test_query_count import counted_statements
from outcomes.reading import listed_outcomes
from portal.countries.queries import country_facts
from portal.i18n import labels
from portal.iati.models import Publisher, Recipient
from portal.iati.narratives import Narratives

API = "/api/v1"


def _get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    return response.get_json()


def _local(url: str | None) -> str | None:
    """A link the API gave, as the test client opens it."""
    if url is None:
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page_soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


# --- Countries --------------------------------------------------------------------------------


def test_countries_come_a_page_at_a_time_with_links_and_totals(client, sample_data):
    index = _page_soup(client, "/en/countries/")
    on_the_index = {
        link["href"].split("/")[3] for link in index.select("main a[href^='/en/countries/']")
    }
    seen, url, pages = [], f"{API}/countries?per_page=2", 0
    while url:
        answer = _get(client, url)
        pages += 1
        assert answer["meta"]["total"] == len(on_the_index)
        assert answer["meta"]["page"] == pages
        assert answer["meta"]["page_count"] == -(-len(on_the_index) // 2)
        assert len(answer["data"]) <= 2
        assert (answer["links"]["prev"] is None) == (pages == 1)
        assert _local(answer["links"]["self"]) == f"{API}/countries?per_page=2&page={pages}"
        seen += [country["iso3"] for country in answer["data"]]
        url = _local(answer["links"]["next"])
    assert pages == answer["meta"]["page_count"]
    assert sorted(seen) == sorted(on_the_index)
    assert len(seen) == len(set(seen))


def test_country_facts_are_the_headers_facts(client, sample_data):
    answer = _get(client, f"{API}/countries?per_page=100")
    for country in answer["data"]:
        expected = country_facts(sample_data, country["iso3"])
        facts = country["facts"]
        for name in ("gii", "gdi", "population_total", "population_female", "population_male"):
            stored = getattr(expected, name)
            if stored is None or stored.value is None:
                assert facts[name] is None
            else:
                assert Decimal(str(facts[name]["value"])) == stored.value.normalize()
                assert (facts[name]["year"], facts[name]["source"]) == (stored.year, stored.source)
        if expected.female_share:
            assert facts["population_female_share"]["percent"] == pytest.approx(
                float(expected.female_share.percent), abs=0.01
            )


def test_a_country_in_french(client, sample_data):
    assert client.get(f"{API}/countries/SEN?lang=fr").headers["Content-Language"] == "fr"
    senegal = _get(client, f"{API}/countries/SEN?lang=fr")["data"]
    assert senegal["name"] == "Sénégal"
    assert senegal["english_name"] == "Senegal"
    assert senegal["facts"]["region"]["name"] == "Afrique"
    assert _local(senegal["links"]["outcomes"]) == f"{API}/countries/SEN/outcomes?lang=fr"
    assert _local(senegal["links"]["html"]) == "/fr/countries/SEN/"

    mali = _get(client, f"{API}/countries/mli")["data"]
    page = _page_soup(client, "/en/countries/MLI/")
    years = [int(option["value"]) for option in page.select("#year-select option")]
    assert mali["iso3"] == "MLI"
    assert mali["plan_periods"] == ["2018-2021", "2022-2025"]
    # Plan periods belong to publishers now; the sample's publisher has none, so the header
    # says "Not available" and the API says null, as the page does.
    header = next(
        fact
        for fact in page.select(".fact")
        if fact.select_one("dt").get_text(strip=True) == "Current plan period"
    )
    shown = header.select_one(".fact__value")
    assert "fact__value--missing" in shown["class"]
    assert mali["current_plan_period"] is None
    assert mali["years"] == years
    assert mali["default_year"] == int(page.select_one("#year-select option[selected]")["value"])


# --- Outcomes ---------------------------------------------------------------------------------


def _listed(client, url: str) -> list[str]:
    return listed_outcomes(client, url)


@pytest.mark.parametrize("year", [2020, 2023, 2024])
def test_a_countrys_outcomes_are_those_its_page_lists_with_the_years_money(
    client, sample_data, year
):
    listed = _listed(client, f"/en/countries/MLI/?year={year}")
    answer = _get(client, f"{API}/countries/MLI/outcomes?year={year}&per_page=100")
    overview = json.loads(client.get(f"/en/countries/MLI/overview.json?year={year}").get_data())

    assert [outcome["iati_identifier"] for outcome in answer["data"]] == listed
    assert answer["meta"]["year"] == year
    budgets = {row["iati_identifier"]: row["budget"] for row in overview["rows"]}
    for outcome in answer["data"]:
        money = outcome["money"]
        assert money["year"] == year
        budget = sum(item["amount"] for item in money["budget"]) if money["budget"] else None
        assert budget == budgets[outcome["iati_identifier"]]
        by_year = {item["year"]: item for item in outcome["money_by_year"]}
        if money["budget"] or money["expenditure"]:
            assert by_year[year] == money


MONEY_KINDS = ("budget", "spending", "disbursement", "expenditure")


def _summed(outcomes: list[dict], kind: str) -> dict[tuple[str | None, str | None], Decimal]:
    """The outcomes' money of one kind for the year, per publisher and currency."""
    sums: dict[tuple[str | None, str | None], Decimal] = {}
    for outcome in outcomes:
        publisher = outcome["source"]["publisher"]
        ref = publisher["ref"] if publisher else None
        for money in outcome["money"][kind]:
            key = (ref, money["currency"])
            sums[key] = sums.get(key, Decimal(0)) + Decimal(str(money["amount"]))
    return sums


def _totalled(totals: list[dict], kind: str) -> dict[tuple[str | None, str | None], Decimal]:
    return {
        (total["publisher"]["ref"], money["currency"]): Decimal(str(money["amount"]))
        for total in totals
        for money in total[kind]
    }


def _all_outcomes(client, url: str) -> tuple[list[dict], dict]:
    """Every outcome of a listing, a page at a time, and the first page's meta."""
    outcomes, meta = [], None
    while url:
        answer = _get(client, url)
        meta = meta or answer["meta"]
        assert answer["meta"]["totals"] == meta["totals"], "totals are the same on every page"
        outcomes += answer["data"]
        url = _local(answer["links"]["next"])
    return outcomes, meta


@pytest.mark.parametrize("year", [2020, 2023, 2024])
def test_a_countrys_totals_add_up_its_outcomes_money_per_publisher_and_currency(
    client, sample_data, year
):
    outcomes, meta = _all_outcomes(client, f"{API}/countries/MLI/outcomes?year={year}&per_page=4")
    totals = meta["totals"]
    assert totals, "a year with data has totals"
    for kind in MONEY_KINDS:
        assert _totalled(totals, kind) == _summed(outcomes, kind), kind
    counts: dict[str | None, int] = {}
    for outcome in outcomes:
        ref = outcome["source"]["publisher"]["ref"]
        counts[ref] = counts.get(ref, 0) + 1
    assert {total["publisher"]["ref"]: total["outcome_count"] for total in totals} == counts
    # The same figures as the Overview's total rows.
    overview = json.loads(client.get(f"/en/countries/MLI/overview.json?year={year}").get_data())
    rows = [row for row in overview["rows"] if row["record"] == "total"]
    for kind in MONEY_KINDS:
        assert _totalled(totals, kind) == {
            (row["publisher_ref"], row["currency"]): Decimal(str(row[kind]))
            for row in rows
            if row[kind] is not None
        }, kind
    for total in totals:
        assert total["funding_basis"] == "incoming_funds"
        amounts = [max(m["amount"] for m in p["amounts"]) for p in total["funding_partners"]]
        assert amounts and amounts == sorted(amounts, reverse=True)


def test_outcome_money_counts_by_its_share_and_totals_add_it_up(client, db_session):
    """Two publishers, a split outcome, two currencies, both kinds of spending, a revised and
    a zero budget: each outcome's money is its share, the totals their sums."""
    niger = factories.country(db_session, "NER", "NE", "Niger")
    whole = factories.outcome(db_session, "NER", "1.1")
    factories.budget(db_session, whole, 2024, "100000")
    factories.budget(db_session, whole, 2024, "120000", type_code="2")  # replaces the original
    factories.budget(db_session, whole, 2024, "0")  # not added
    factories.transaction(db_session, whole, "3", dt.date(2024, 3, 1), "30000")
    factories.transaction(db_session, whole, "4", dt.date(2024, 9, 1), "20000")
    factories.transaction(
        db_session, whole, "1", dt.date(2024, 2, 1), "50000", None, "DONOR-A", "Donor A"
    )
    split = factories.outcome(db_session, "NER", "1.2", currency="EUR")
    split.recipients[0].percentage = Decimal(40)
    split.recipients.append(
        Recipient(position=1, kind="country", code="BF", country_iso3="BFA", percentage=60)
    )
    factories.budget(db_session, split, 2024, "50000")
    factories.transaction(db_session, split, "4", dt.date(2024, 5, 1), "10000")
    factories.source(db_session, [whole, split])

    other = Publisher(ref="XM-OTHER", name=Narratives({"en": "Other publisher"}))
    db_session.add(other)
    shared = factories.outcome(db_session, "NER", "9.1")
    shared.iati_identifier = "XM-OTHER-NER-9.1"
    shared.recipients.append(Recipient(position=1, kind="country", code="ML", country_iso3="MLI"))
    shared.publisher = other
    factories.budget(db_session, shared, 2024, "80000")
    factories.funding_org(db_session, shared, "DONOR-B", "Donor B")
    db_session.flush()
    assert niger.iso3 == "NER"

    outcomes, meta = _all_outcomes(client, f"{API}/countries/NER/outcomes?year=2024&per_page=2")
    by_identifier = {outcome["iati_identifier"]: outcome for outcome in outcomes}
    assert by_identifier[whole.iati_identifier]["share"] == {
        "fraction": 1,
        "basis": "whole",
        "percentage": None,
    }
    assert by_identifier[split.iati_identifier]["share"] == {
        "fraction": 0.4,
        "basis": "percentage",
        "percentage": 40,
    }
    assert by_identifier["XM-OTHER-NER-9.1"]["share"] == {
        "fraction": 0.5,
        "basis": "equal_split",
        "percentage": None,
    }
    assert by_identifier[whole.iati_identifier]["money"] == {
        "year": 2024,
        "budget": [{"amount": 120000, "currency": "USD"}],
        "spending": [{"amount": 50000, "currency": "USD"}],
        "disbursement": [{"amount": 30000, "currency": "USD"}],
        "expenditure": [{"amount": 20000, "currency": "USD"}],
    }
    assert by_identifier[split.iati_identifier]["money"] == {
        "year": 2024,
        "budget": [{"amount": 20000, "currency": "EUR"}],
        "spending": [{"amount": 4000, "currency": "EUR"}],
        "disbursement": [],
        "expenditure": [{"amount": 4000, "currency": "EUR"}],
    }
    assert by_identifier["XM-OTHER-NER-9.1"]["money"]["budget"] == [
        {"amount": 40000, "currency": "USD"}
    ]
    for outcome in outcomes:
        by_year = {item["year"]: item for item in outcome["money_by_year"]}
        assert by_year[2024] == outcome["money"]

    totals = meta["totals"]
    for kind in MONEY_KINDS:
        assert _totalled(totals, kind) == _summed(outcomes, kind), kind
    assert _totalled(totals, "budget") == {
        (factories.PUBLISHER, "EUR"): Decimal(20000),
        (factories.PUBLISHER, "USD"): Decimal(120000),
        ("XM-OTHER", "USD"): Decimal(40000),
    }
    funding = {
        total["publisher"]["ref"]: (total["outcome_count"], total["funding_basis"])
        for total in totals
    }
    assert funding == {
        factories.PUBLISHER: (2, "incoming_funds"),
        "XM-OTHER": (1, "funding_organisations"),
    }
    partners = {
        total["publisher"]["ref"]: [
            (p["ref"], p["name"]["text"], p["amounts"]) for p in total["funding_partners"]
        ]
        for total in totals
    }
    assert partners == {
        factories.PUBLISHER: [("DONOR-A", "Donor A", [{"amount": 50000, "currency": "USD"}])],
        "XM-OTHER": [("DONOR-B", "Donor B", [])],
    }


def test_totals_are_empty_without_a_year(client, sample_data):
    older = _get(client, f"{API}/countries/MLI/outcomes?plan_period=2018-2021")
    assert older["meta"]["year"] is None
    assert older["meta"]["totals"] == []


def test_an_outcome_on_its_own_counts_whole(client, sample_data):
    outcome = _get(client, f"{API}/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1")["data"]
    assert outcome["share"] == {"fraction": 1, "basis": "whole", "percentage": None}
    assert outcome["money"] is None
    assert all(set(item) == {"year", *MONEY_KINDS} for item in outcome["money_by_year"])


def test_outcomes_of_a_plan_period_and_pagination(client, sample_data):
    older = _get(client, f"{API}/countries/MLI/outcomes?plan_period=2018-2021")
    assert [o["plan_period"] for o in older["data"]] == ["2018-2021"] * 3
    assert older["meta"]["plan_period"] == "2018-2021"
    assert older["meta"]["year"] is None
    assert {o["money"] is None for o in older["data"]} == {True}

    first = _get(client, f"{API}/countries/MLI/outcomes?year=2023&per_page=5")
    second = _get(client, _local(first["links"]["next"]))
    assert first["meta"]["total"] == second["meta"]["total"] == 9
    assert len(first["data"]) == 5 and len(second["data"]) == 4
    assert second["links"]["next"] is None
    assert _local(second["links"]["prev"]) == _local(first["links"]["self"])
    assert (
        _local(second["links"]["self"])
        == f"{API}/countries/MLI/outcomes?year=2023&per_page=5&page=2"
    )

    _get(client, f"{API}/countries/MLI/outcomes?year=2023&per_page=5&page=3", 404)


def test_outcomes_carry_results_indicators_and_labels_in_the_requested_language(
    client, sample_data
):
    english = _get(client, f"{API}/countries/MLI/outcomes?year=2023&per_page=1")["data"][0]
    french = _get(client, f"{API}/countries/MLI/outcomes?year=2023&per_page=1&lang=fr")["data"][0]

    assert english["iati_identifier"] == french["iati_identifier"]
    assert english["title"]["lang"] == "en" and french["title"]["lang"] == "fr"
    assert french["title"]["text"] == english["title"]["narratives"]["fr"]
    expenditure = [t for t in french["transactions"] if t["type"]["code"] == "4"]
    assert expenditure
    with force_locale("fr"):
        assert {t["type"]["label"] for t in expenditure} == {labels.transaction_type_label("4")}
    assert {t["type"]["label"] for t in english["transactions"] if t["type"]["code"] == "4"} == {
        "Expenditure"
    }
    outputs = [r for r in english["results"] if r["type"]["code"] == "1"]
    assert outputs and all(output["indicators"] for output in outputs)
    assert any(
        period["actual"]["value"]
        for o in outputs
        for i in o["indicators"]
        for period in i["periods"]
    )
    assert english["source"]["label"] == "IATI data published by Example Organisation (sample data)"
    assert english["source"]["as_of"] == "2025-01-31"
    assert _local(french["links"]["self"]).endswith("?plan_period=2022-2025&lang=fr")


def test_an_outcome_used_in_two_plan_periods(client, sample_data):
    identifier = "XM-EXAMPLE-ORG-MLI_D_1.1"
    newest = _get(client, f"{API}/outcomes/{identifier}")["data"]
    older = _get(client, f"{API}/outcomes/{identifier}?plan_period=2018-2021")["data"]

    assert newest["plan_period"] == "2022-2025"
    assert older["plan_period"] == "2018-2021"
    assert newest["plan_periods"] == older["plan_periods"] == ["2018-2021", "2022-2025"]
    assert newest["title"] != older["title"]
    assert _get(client, _local(older["links"]["self"]))["data"] == older

    error = _get(client, f"{API}/outcomes/{identifier}?plan_period=2010-2013", 404)
    assert "2010-2013" in error["error"]["message"]
    _get(client, f"{API}/outcomes/XM-EXAMPLE-ORG-NOWHERE", 404)


# --- Real data --------------------------------------------------------------------------------


def test_real_outcome_has_the_published_figures(client, unwomen_data, shared_data):
    from lxml import etree

    source = etree.parse(str(shared_data / "iati-activities/unwomen-XM-DAC-41146.xml"))
    activities = {
        activity.findtext("iati-identifier"): activity for activity in source.iter("iati-activity")
    }
    # One with a space in its identifier, and the country ones.
    for identifier in ("XM-DAC-41146-PAP _O_1.1", "XM-DAC-41146-ALB_D_4.1"):
        outcome = _get(client, f"{API}/outcomes/{quote(identifier)}")["data"]
        published = activities[identifier]
        assert outcome["iati_identifier"] == identifier
        assert sum(Decimal(str(b["value"])) for b in outcome["budgets"]) == sum(
            Decimal(value.text) for value in published.findall("budget/value")
        )
        assert sum(Decimal(str(t["value"])) for t in outcome["transactions"]) == sum(
            Decimal(value.text) for value in published.findall("transaction/value")
        )
        assert sum(len(r["indicators"]) for r in outcome["results"]) == len(
            published.findall("result/indicator")
        )
        assert outcome["source"]["label"] == "IATI data published by UN Women"


# --- HTTP behaviour ---------------------------------------------------------------------------


def test_etag_gives_304_when_nothing_changed(client, sample_data):
    first = client.get(f"{API}/countries/MLI")
    etag = first.headers["ETag"]
    again = client.get(f"{API}/countries/MLI", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    other = client.get(f"{API}/countries/MLI?lang=fr", headers={"If-None-Match": etag})
    assert other.status_code == 200

    compressed = client.get(f"{API}/countries/MLI", headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(compressed.get_data())) == first.get_json()
    revalidated = client.get(
        f"{API}/countries/MLI",
        headers={"Accept-Encoding": "gzip", "If-None-Match": compressed.headers["ETag"]},
    )
    assert revalidated.status_code == 304


def test_cors_is_open_for_reading_the_api_only(client, sample_data):
    preflight = client.options(
        f"{API}/countries",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert client.head(f"{API}/countries").headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"{API}/nothing").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/en/countries/MLI/").headers
    assert "Access-Control-Allow-Origin" not in client.post(f"{API}/countries").headers


BAD_REQUESTS = [
    ("/countries?page=0", 400),
    ("/countries?page=-1", 400),
    ("/countries?page=1.5", 400),
    ("/countries?page=abc", 400),
    ("/countries?page=99", 404),
    ("/countries?per_page=0", 400),
    ("/countries?per_page=1000", 400),
    ("/countries?page=1&page=2", 400),
    ("/countries?lang=de", 400),
    ("/countries?lang=", 400),
    ("/countries?sort=name", 400),
    ("/countries/XXX", 404),
    ("/countries/FRANCE", 404),
    ("/countries/%00%01%02", 400),  # NUL is refused before routing
    ("/countries/MLI/outcomes?year=twenty", 400),
    ("/countries/MLI/outcomes?year=99999", 400),
    ("/countries/MLI/outcomes?year=0", 400),
    ("/countries/MLI/outcomes?plan_period=2022", 400),
    ("/countries/MLI/outcomes?plan_period=2022-25", 400),
    ("/countries/MLI/outcomes?plan_period=%27;drop", 400),
    ("/countries/ZZZ/outcomes", 404),
    ("/outcomes/", 404),
    ("/outcomes/%E2%98%83", 404),
    ("/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1?plan_period=x", 400),
    ("/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1?year=2023", 400),
    ("/openapi.json?lang=xx", 400),
    ("/nothing-here", 404),
    ("/countries/MLI/outcomes/extra", 404),
]


@pytest.mark.parametrize(("path", "status"), BAD_REQUESTS)
def test_bad_input_gets_a_json_error_never_a_500(client, sample_data, path, status):
    response = client.get(API + path)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert error["message"]
    assert "<html" not in response.get_data(as_text=True)


def test_wrong_method_is_a_json_405_saying_what_is_allowed(client, sample_data):
    response = client.post(f"{API}/countries")
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_errors_say_what_is_wrong_in_the_requested_words(client, sample_data):
    message = _get(client, f"{API}/countries?per_page=500", 400)["error"]["message"]
    assert "per_page" in message and "100" in message


def test_an_unreachable_database_is_a_json_503(client, sample_data, monkeypatch):
    def outage(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionError("database is down"))

    monkeypatch.setattr("portal.api.views.country_queries.countries_with_outcomes", outage)
    response = client.get(f"{API}/countries")
    assert response.status_code == 503
    assert response.get_json()["error"]["status"] == 503
    assert response.headers["Retry-After"]


def test_a_bug_is_still_a_json_answer(client, sample_data, monkeypatch):
    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr("portal.api.views.country_queries.countries_with_outcomes", bug)
    response = client.get(f"{API}/countries")
    assert response.status_code == 500
    assert response.mimetype == "application/json"


# --- Cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/countries/{iso3}/outcomes?per_page=100", "/countries?per_page=100"]
)
def test_a_page_of_the_api_costs_the_same_queries_for_3_or_12_outcomes(client, db_session, path):
    factories.country_with_outcomes(db_session, "SEN", "SN", "Senegal", outcome_count=3)
    counts = []
    for iso3, count in (("NER", 12), ("MLI", 3)):
        factories.country_with_outcomes(db_session, iso3, iso3[:2], iso3, outcome_count=count)
        db_session.expunge_all()
        with counted_statements() as statements:
            response = client.get(API + path.format(iso3=iso3))
            assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
