"""Funding partner pages on the six real files: each partner's figures by year, by place and by
outcome equal what the XML says it gave (read by the oracle, tests/ledger/xml_ledger.py, not by
the portal), its files hold the same lines, and bad addresses are 404 pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import pytest

from downloads.reading import FORMATS, download_links, download_rows, soup_of, words
from outcomes.reading import assert_error_page, every_page, soup_of_any
from partners import expected
from portal import ledger
from portal.config import SUPPORTED_LANGUAGES
from portal.downloads.partners import PARTNER
from portal.partners import queries
from portal.partners.views import PARTNERS_PER_PAGE

CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def expected_partners(oracle):
    return expected.every_partner(oracle)


def _scope(oracle_scope: tuple) -> ledger.Scope:
    if oracle_scope[0] == "country":
        return ledger.country_scope(oracle_scope[1])
    return ledger.region_scope(oracle_scope[1], oracle_scope[2])


def _ref_partner(expected_partners, pick) -> tuple[str, expected.PartnerFigures]:
    """A partner known by its ref, chosen by `pick` among them (sorted by ref)."""
    refs = sorted(
        (key[1], figures) for key, figures in expected_partners.items() if key[0] == "ref"
    )
    return pick(refs)


def _most_lines(refs):
    return max(refs, key=lambda item: (len(item[1].lines), item[0]))


def _one_line_with_money(refs):
    return next(
        item for item in refs if len(item[1].lines) == 1 and None not in item[1].lines.values()
    )


def _named_only(refs):
    return next(item for item in refs if set(item[1].lines.values()) == {None})


def _whole(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1)))


def _shown_amounts(cell) -> dict[str, list[int]]:
    """{basis: sorted whole amounts} of a basis_amounts list ("named": empty list)."""
    shown = {}
    for item in cell.select("li[data-basis]"):
        amounts = []
        for money in item.select(".money"):
            text = words(money)
            digits = int(re.sub(r"[^0-9]", "", text))
            amounts.append(-digits if "-" in text or "\u2212" in text else digits)
        shown[item["data-basis"]] = sorted(amounts)
    return shown


def _expected_amounts(figures: expected.PartnerFigures, select) -> dict[str, list[int]]:
    """{basis: sorted whole amounts per currency} of the lines `select` keeps."""
    by_currency: dict[str, dict] = defaultdict(dict)
    for (basis, year, scope, identifier, currency), amount in figures.lines.items():
        if not select(basis, year, scope, identifier):
            continue
        totals = by_currency[basis]
        if amount is not None:
            totals[currency] = totals.get(currency, Decimal(0)) + amount
    return {
        basis: sorted(_whole(a) for a in totals.values()) for basis, totals in by_currency.items()
    }


def test_every_partner_adds_up_what_the_xml_says(six_files, expected_partners):
    """Every partner known by its ref: its lines (basis, year, place, outcome, currency) are
    the XML's, amounts to the cent; no partner is missing and none is made up."""
    index = queries.partner_index(six_files)
    refs = {key[1]: figures for key, figures in expected_partners.items() if key[0] == "ref"}
    by_ref = {p.address: p for p in index.partners if p.ref == p.address}
    assert set(by_ref) == set(refs)
    for ref, figures in refs.items():
        shown: dict[tuple, Decimal | None] = {}
        for line in by_ref[ref].lines:
            key = (line.basis, line.year, line.scope, line.activity.iati_identifier, line.currency)
            if line.amount is None:
                shown.setdefault(key, None)
            else:
                shown[key] = (shown.get(key) or Decimal(0)) + line.amount
        wanted = {
            (basis, year, _scope(scope), identifier, currency): amount
            for (basis, year, scope, identifier, currency), amount in figures.lines.items()
        }
        assert {k: v and v.quantize(CENT) for k, v in shown.items()} == {
            k: v and v.quantize(CENT) for k, v in wanted.items()
        }, ref


@pytest.mark.parametrize("pick", [_most_lines, _one_line_with_money, _named_only])
def test_partner_page_shows_what_the_xml_says_by_year_place_and_outcome(
    client, six_files, expected_partners, pick
):
    ref, figures = _ref_partner(expected_partners, pick)
    url = f"/en/partners/{ref}/"
    pages = every_page(client, url)
    page = pages[0]
    assert words(page.select_one(".partner-figures .identifier")) == ref

    years = {int(row["data-year"]): row for row in page.select("tr[data-year]")}
    assert sorted(years) == sorted({key[1] for key in figures.lines})
    for year, row in years.items():
        assert _shown_amounts(row) == _expected_amounts(
            figures, lambda b, y, s, i, year=year: y == year
        ), (ref, year)
    assert _shown_amounts(page.select_one(".partner-figures")) == _expected_amounts(
        figures, lambda *key: True
    )

    places = {row["data-place"]: row for row in page.select("tr[data-place]")}
    wanted_places = {_scope(key[2]) for key in figures.lines}
    assert sorted(places) == sorted(
        f"{s.kind}:{s.vocabulary or ''}:{s.code}" for s in wanted_places
    )
    for scope in wanted_places:
        row = places[f"{scope.kind}:{scope.vocabulary or ''}:{scope.code}"]
        assert _shown_amounts(row) == _expected_amounts(
            figures, lambda b, y, s, i, scope=scope: _scope(s) == scope
        ), (ref, scope)
        link = row.select_one("a")["href"]
        assert client.get(link).status_code == 200

    outcomes = {
        item["data-identifier"]: item
        for page in pages
        for item in page.select("li.partner-outcome")
    }
    assert sorted(outcomes) == sorted({key[3] for key in figures.lines})
    for identifier, item in outcomes.items():
        assert _shown_amounts(item) == _expected_amounts(
            figures, lambda b, y, s, i, identifier=identifier: i == identifier
        ), (ref, identifier)
    first_outcome = next(iter(outcomes.values())).select_one("a")["href"]
    assert client.get(first_outcome).status_code == 200


def test_downloads_hold_the_lines_the_page_adds_up(client, six_files, expected_partners):
    ref, figures = _ref_partner(expected_partners, _most_lines)
    page = soup_of(client.get(f"/en/partners/{ref}/"))
    links = download_links(page)
    assert set(links) == set(FORMATS)
    wanted: dict[tuple, Decimal | None] = {}
    for (basis, year, scope, identifier, currency), amount in figures.lines.items():
        place = _scope(scope)
        key = (
            basis if basis != "funding_organisations" else "funding_organisation",
            year,
            place.code,
            identifier,
            currency,
        )
        wanted[key] = amount.quantize(CENT) if amount is not None else None
    for file_format in FORMATS:
        rows = download_rows(client, links[file_format], PARTNER)
        assert {row["partner_ref"] for row in rows} == {ref}
        assert {row["partner_address"] for row in rows} == {ref}
        got: dict[tuple, Decimal | None] = {}
        for row in rows:
            key = (
                row["record"],
                row["year"],
                row["country_iso3"] or row["region_code"],
                row["iati_identifier"],
                row["currency"],
            )
            if row["partner_amount"] is None:
                got.setdefault(key, None)
            else:
                got[key] = (got.get(key) or Decimal(0)) + row["partner_amount"]
        assert len(got) == len(wanted), file_format
        for key, amount in wanted.items():
            if amount is None:
                assert got[key] is None, key
            else:  # each row is rounded to the cent
                assert abs(got[key] - amount) <= CENT, (file_format, key)


def test_a_partner_without_a_ref_is_known_by_its_name(client, six_files, expected_partners):
    """Several providers without a ref: the page at the slug of the name adds up what the
    XML gives under that name."""
    names = [
        (figures, key[1])
        for key, figures in expected_partners.items()
        if key[0] == "name"
        and re.fullmatch(r"[a-z]+", key[1])
        and any(amount for amount in figures.lines.values())
    ]
    names.sort(key=lambda item: (-len(item[0].lines), item[1]))
    figures, name = names[0]
    page = soup_of(client.get(f"/en/partners/{name}/"))
    assert words(page.h1).casefold() == name
    assert _shown_amounts(page.select_one(".partner-figures")) == _expected_amounts(
        figures, lambda *key: True
    )


def test_the_index_lists_every_partner_once_linked_to_its_page(client, six_files):
    index = queries.partner_index(six_files)
    listed = []
    for page in every_page(client, "/en/partners/"):
        listed += [link["href"] for link in page.select(".partner-list a.partner-list__name")]
    assert len(listed) == len(index.partners) == len(set(listed))
    assert listed[0] == f"/en/partners/{index.partners[0].address}/"
    assert len(every_page(client, "/en/partners/")) == -(-len(index.partners) // PARTNERS_PER_PAGE)
    # Ranked by the ledger's rule: the first partners gave incoming funds.
    assert index.partners[0].basis == "incoming_funds"


# Checked in one test (each test imports the six files again): addresses no partner has.
HOSTILE_ADDRESSES = (
    "no-such-partner",
    "..",
    "a" * 101,
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "DE-1%20OR%201=1",
    "%E2%80%AEevil",
    "%F0%9F%98%80",
    "DE-1%0A",
)


def test_unknown_and_hostile_addresses_are_404_pages(client, six_files):
    for address in HOSTILE_ADDRESSES:
        assert_error_page(client, f"/en/partners/{address}/", 404)
        for file_format in FORMATS:
            response = client.get(f"/en/partners/{address}.{file_format}")
            assert response.status_code == 404, (address, file_format)


def test_bad_page_numbers(client, six_files):
    assert_error_page(client, "/en/partners/?page=abc", 400)
    assert_error_page(client, "/en/partners/DE-1/?page=0", 400)
    assert client.get("/en/partners/DE-1/?page=999").status_code == 404
    assert client.get("/en/partners/?page=999").status_code == 404


def test_pages_in_every_language(client, six_files):
    """Index, a partner's pages and the HTMX list, checked by the page checker (every
    response of the test client is); the partner's name and figures in every language."""
    for lang in SUPPORTED_LANGUAGES:
        index = soup_of(client.get(f"/{lang}/partners/"))
        assert index.html["dir"] == ("rtl" if lang == "ar" else "ltr")
        first = index.select_one("a.partner-list__name")["href"]
        page = soup_of(client.get(first))
        assert len(page.find_all("h1")) == 1
        assert page.select("tr[data-year]") and page.select("tr[data-place]")
        second = page.select_one("nav.pagination a[rel=next]")
        if second is not None:
            fragment = client.get(
                second["href"], headers={"HX-Request": "true", "HX-Target": "partner-outcomes"}
            )
            assert fragment.status_code == 200
            assert "Vary" in fragment.headers and "HX-Request" in fragment.headers["Vary"]
            assert soup_of_any(fragment).select("li.partner-outcome")
