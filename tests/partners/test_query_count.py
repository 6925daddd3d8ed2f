"""A partner's page reads the database a fixed number of times, however much the partner
funded: a partner named once costs what the partner with the most lines costs."""

from __future__ import annotations

from countries.test_query_count import statement_count
from portal.partners import queries

# The answers a partner has, checked in one test (each test imports the six files again).
ANSWERS = (
    ("/", {}),
    ("/?page=2", {}),
    ("/", {"HX-Request": "true", "HX-Target": "partner-outcomes"}),
    (".csv", {}),
    (".json", {}),
    (".xlsx", {}),
)


def test_query_count_does_not_grow_with_what_a_partner_funded(client, six_files_unremembered):
    six_files = six_files_unremembered
    partners = queries.partner_index(six_files).partners
    big = max(partners, key=lambda partner: len(partner.lines))
    small = min(
        (partner for partner in partners if len(partner.by_outcome) > 10),
        key=lambda partner: len(partner.lines),
    )
    assert len(big.lines) > 5 * len(small.lines)
    for suffix, headers in ANSWERS:
        few = statement_count(client, six_files, f"/en/partners/{small.address}{suffix}", headers)
        many = statement_count(client, six_files, f"/en/partners/{big.address}{suffix}", headers)
        assert few == many, (suffix, headers)
        # The data version, the ledger of every place (4), the names of countries and regions.
        assert few <= 10, (suffix, headers)


def test_index_query_count_is_flat(client, six_files_unremembered):
    six_files = six_files_unremembered
    first = statement_count(client, six_files, "/en/partners/", {})
    last = statement_count(client, six_files, "/en/partners/?page=2", {})
    assert first == last <= 8
