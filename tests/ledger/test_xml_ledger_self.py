"""Self-test of the XML ledger oracle: tiny hand-written files with figures worked out by hand,
then one pass over the six real IATI files."""

from __future__ import annotations

import time
from collections import Counter
from decimal import Decimal as D

import pytest
from lxml import etree

from ledger.xml_ledger import (
    active_years,
    every_identifier,
    explain,
    load,
    scope_years,
    scopes_with_activities,
    year_ledger,
)

ALB, XKX, BDI = ("country", "ALB"), ("country", "XKX"), ("country", "BDI")
REGION_298 = ("region", "1", "298")

# Publisher A: a 40/60 two-country activity with revised budgets and incoming commitments,
# and an equal-split activity that has only money years.
FILE_A = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="usd" xml:lang="EN">
  <iati-identifier> A-1 </iati-identifier>
  <reporting-org ref=" PUB-A "><narrative xml:lang="EN">Publisher A</narrative></reporting-org>
  <participating-org ref="FUND-X" role="1"><narrative>Fund  X</narrative></participating-org>
  <participating-org role="1"><narrative>-</narrative></participating-org>
  <participating-org ref="PUB-A" role="2"><narrative>Publisher A</narrative></participating-org>
  <activity-date iso-date="2020-03-01T00:00:00" type="2"/>
  <activity-date iso-date="2021-12-31" type="3"/>
  <recipient-country code="AL" percentage="40"/>
  <recipient-country code="XK" percentage="60"/>
  <budget type="1"><period-start iso-date="2020-01-01"/><value>1000</value></budget>
  <budget type="2"><period-start iso-date="2020-01-01"/><value>1200</value></budget>
  <budget><period-start iso-date="2020-01-01"/><value>100</value></budget>
  <budget type="1"><period-start iso-date="2021-01-01"/><value>500</value></budget>
  <budget><period-start iso-date="2021-01-01"/><value>-50</value></budget>
  <budget type="1"><period-start iso-date="2021-01-01"/><value>0</value></budget>
  <budget type="1"><period-start iso-date="2021-01-01"/><value currency=" eur">300</value></budget>
  <budget type="1"><period-start iso-date="2021-01-01"/><value>not a number</value></budget>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2020-06-01"/>
   <value>200</value></transaction>
  <transaction><transaction-type code="4"/><transaction-date iso-date="2020-07-01"/>
   <value>50</value></transaction>
  <transaction><transaction-type code="4"/><transaction-date iso-date="2020-08-01"/>
   <value>-10</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-02-01"/>
   <value currency="EUR">100</value></transaction>
  <transaction><transaction-type code="11"/><transaction-date iso-date="2020-01-15"/>
   <value>1000</value>
   <provider-org ref="DONOR-1"><narrative>Donor One</narrative></provider-org></transaction>
  <transaction><transaction-type code="11"/><transaction-date iso-date="2020-02-01"/>
   <value>500</value>
   <provider-org ref="DONOR-1"><narrative> donor   ONE </narrative></provider-org></transaction>
  <transaction><transaction-type code="11"/><transaction-date iso-date="2020-02-01"/>
   <value>100</value>
   <provider-org ref="DONOR-1"><narrative>Other name</narrative></provider-org></transaction>
 </iati-activity>
 <iati-activity default-currency="USD">
  <iati-identifier>A-2</iati-identifier>
  <reporting-org ref="PUB-A"/>
  <recipient-country code="AL"/>
  <recipient-region code="298" vocabulary="1"/>
  <budget type="2"><period-start iso-date="2019-01-01"/><value>400</value></budget>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2022-05-01"/>
   <value>1000</value><provider-org><narrative>-</narrative></provider-org></transaction>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2022-05-02"/>
   <value>200</value><provider-org ref="D2"/></transaction>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2022-05-03"/>
   <value>200</value><provider-org ref="D1"/></transaction>
 </iati-activity>
</iati-activities>
"""

# Publisher B: incoming funds; a planned start used when the actual one has no date;
# a repeated country (shares added) next to an unknown code; start-only and end-only activities.
FILE_B = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="GBP">
  <iati-identifier>B-1</iati-identifier>
  <reporting-org ref="PUB-B"/>
  <activity-date iso-date="2020-01-01" type="1"/>
  <activity-date type="2"/>
  <activity-date iso-date="2020-12-31" type="4"/>
  <recipient-country code="al " percentage="50"/>
  <budget type="1"><period-start iso-date="2020-01-01"/><value>700</value></budget>
  <budget type="1"><period-start iso-date="31/12/2020"/><value>999</value></budget>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2020-03-01"/>
   <value>250</value>
   <provider-org ref="DONOR-9"><narrative>Big donor</narrative></provider-org></transaction>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2020-04-01"/>
   <value>50</value><provider-org><narrative>Small donor</narrative></provider-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2020-04-01"/>
   <value>1,000</value></transaction>
 </iati-activity>
 <iati-activity default-currency="GBP">
  <iati-identifier>C-1</iati-identifier>
  <reporting-org ref="PUB-B"/>
  <activity-date iso-date="2021-01-01" type="2"/>
  <recipient-country code="BI" percentage="30"/>
  <recipient-country code="BI" percentage="20"/>
  <recipient-country code="ZZ" percentage="50"/>
  <budget type="1"><period-start iso-date="2021-01-01"/><value>1000</value></budget>
  <transaction><transaction-type code="4"/><transaction-date iso-date="2023-03-01"/>
   <value>10</value></transaction>
 </iati-activity>
 <iati-activity default-currency="GBP">
  <iati-identifier>C-2</iati-identifier>
  <reporting-org ref="PUB-B"/>
  <activity-date iso-date="2022-06-30" type="3"/>
  <recipient-country code="BI"/>
  <budget><period-start iso-date="2020-01-01"/><value>60</value></budget>
 </iati-activity>
</iati-activities>
"""


@pytest.fixture
def acts(tmp_path):
    paths = []
    for name, text in (("a.xml", FILE_A), ("b.xml", FILE_B)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return load(paths)


def test_identifiers_and_scopes(acts):
    assert every_identifier(acts) == {"A-1", "A-2", "B-1", "C-1", "C-2"}
    assert scopes_with_activities(acts) == {ALB, XKX, BDI, REGION_298}
    assert acts.by_id["A-1"].publisher == "PUB-A"


def test_shares(acts):
    assert acts.by_id["A-1"].shares == {ALB: D("0.4"), XKX: D("0.6")}  # 40/60
    assert acts.by_id["A-2"].shares == {ALB: D("0.5"), REGION_298: D("0.5")}  # equal split
    assert acts.by_id["B-1"].shares == {ALB: D(1)}  # single recipient: percentage ignored
    assert acts.by_id["C-1"].shares == {BDI: D("0.5")}  # 30 + 20; "ZZ" maps to nothing


def test_active_years(acts):
    assert active_years(acts, ALB) == {
        "A-1": {2020, 2021},  # actual start, planned end
        "A-2": {2019, 2022},  # only money years
        "B-1": {2020},  # planned start (actual has no date), actual end
    }
    assert active_years(acts, BDI) == {
        "C-1": {2021, 2022, 2023},  # start only, stretched to the 2023 transaction
        "C-2": {2020, 2021, 2022},  # end only, stretched back to the 2020 budget
    }


def test_alb_2020_revised_budget_spending_and_partners(acts):
    ledger = year_ledger(acts, ALB, 2020)
    assert set(ledger.activities) == {"A-1", "B-1"}  # A-2 is not active in 2020
    assert ledger.activities["A-1"].share == D("0.4")
    assert ledger.activities["B-1"].publisher == "PUB-B"
    # revised 1200 replaces original 1000; the untyped 100 stays: 1300 x 0.4.
    assert ledger.budget == {("PUB-A", "USD"): D("520.0"), ("PUB-B", "GBP"): D(700)}
    assert ledger.disbursement == {("PUB-A", "USD"): D("80.0")}  # 200 x 0.4
    assert ledger.expenditure == {("PUB-A", "USD"): D("16.0")}  # (50 - 10) x 0.4
    assert ledger.spending == {("PUB-A", "USD"): D("96.0")}
    assert ledger.by_activity["A-1"].budget == {"USD": D("520.0")}
    assert ledger.by_activity["B-1"].disbursement == {}  # "1,000" does not parse
    assert ledger.partners == {
        # No incoming funds in 2020: incoming commitments; same ref with two names = two.
        "PUB-A": (
            "incoming_commitments",
            [
                (("DONOR-1", "donor one"), {"USD": D("600.0")}),  # (1000 + 500) x 0.4
                (("DONOR-1", "other name"), {"USD": D("40.0")}),
            ],
        ),
        "PUB-B": (
            "incoming_funds",
            [
                (("DONOR-9", "big donor"), {"GBP": D(250)}),
                ((None, "small donor"), {"GBP": D(50)}),
            ],
        ),
    }


def test_xkx_2021_negative_and_zero_budgets_left_out(acts):
    ledger = year_ledger(acts, XKX, 2021)
    assert set(ledger.activities) == {"A-1"}
    # 500 USD and 300 EUR count; -50, 0 and "not a number" do not. x 0.6.
    assert ledger.budget == {("PUB-A", "USD"): D("300.0"), ("PUB-A", "EUR"): D("180.0")}
    assert ledger.disbursement == {("PUB-A", "EUR"): D("60.0")}
    assert ledger.expenditure == {}
    # No incoming funds or commitments in 2021: the funding organisations ("-" has no name).
    assert ledger.partners == {"PUB-A": ("funding_organisations", [(("FUND-X", "fund x"), {})])}
    assert any("not > 0" in line for line in explain(acts, "A-1", XKX, 2021))


def test_equal_split_and_incoming_funds_ranking(acts):
    assert year_ledger(acts, ALB, 2019).budget == {("PUB-A", "USD"): D("200.0")}  # 400 x 0.5
    assert year_ledger(acts, REGION_298, 2019).budget == {("PUB-A", "USD"): D("200.0")}
    ledger = year_ledger(acts, ALB, 2022)
    assert ledger.budget == {}
    # The provider named "-" is skipped; D1 and D2 tie at 100, so they are ordered by key.
    assert ledger.partners == {
        "PUB-A": (
            "incoming_funds",
            [(("D1", None), {"USD": D("100.0")}), (("D2", None), {"USD": D("100.0")})],
        )
    }


def test_repeated_country_and_stretched_years(acts):
    assert year_ledger(acts, BDI, 2021).budget == {("PUB-B", "GBP"): D("500.0")}
    ledger = year_ledger(acts, BDI, 2023)
    assert set(ledger.activities) == {"C-1"}
    assert ledger.expenditure == {("PUB-B", "GBP"): D("5.0")}
    assert ledger.partners == {"PUB-B": ("funding_organisations", [])}
    assert year_ledger(acts, BDI, 2020).budget == {("PUB-B", "GBP"): D(60)}
    assert set(year_ledger(acts, BDI, 2024).activities) == set()


def test_real_files(shared_data):
    paths = sorted((shared_data / "iati-activities").glob("*.xml"))
    assert len(paths) == 6
    seen: Counter[str] = Counter()
    for path in paths:
        for _event, element in etree.iterparse(
            str(path), tag="iati-identifier", resolve_entities=False, no_network=True
        ):
            seen[(element.text or "").strip()] += 1
    duplicates = sorted(identifier for identifier, count in seen.items() if count > 1)
    assert not duplicates, f"iati-identifier in more than one activity: {duplicates}"

    started = time.perf_counter()
    acts = load(paths)
    seconds = time.perf_counter() - started
    assert len(acts) == sum(seen.values())
    pairs = scope_years(acts)
    print(
        f"\nload: {seconds:.2f} s, {len(acts)} activities, "
        f"{sum(1 for a in acts if a.recipient_count > 1)} with more than one recipient, "
        f"{len(scopes_with_activities(acts))} scopes, "
        f"{sum(1 for scope, _ in pairs if scope[0] == 'country')} country-years, "
        f"{sum(1 for scope, _ in pairs if scope[0] == 'region')} region-years"
    )
