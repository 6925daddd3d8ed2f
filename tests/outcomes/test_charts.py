"""The chart geometry: bars proportional to their values, one chart per currency, values
written as text, and missing values said, not drawn."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.iati.narratives import Narratives
from portal.ledger import LedgerActivity, PublisherYear
from portal.ledger.rules import (
    BY_INCOMING_COMMITMENTS,
    BY_INCOMING_FUNDS,
    WHOLE_SHARE,
    BudgetAndSpending,
    Funding,
    FundingPartner,
    Money,
    add_up,
)
from portal.outcomes import charts
from portal.outcomes.queries import (
    OutcomeResources,
    Provenance,
    PublisherResources,
    ResultsResourcesView,
)

NO_FUNDING = Funding(BY_INCOMING_FUNDS, ())


def resources(identifier: str, budget: list[Money], spent: list[Money]) -> OutcomeResources:
    activity = LedgerActivity(
        id=hash(identifier),
        iati_identifier=identifier,
        plan_period="2022-2025",
        publisher_ref="XM-A",
        publisher_name=Narratives({"en": "A"}),
        default_lang="en",
        default_currency="USD",
        title=Narratives({"en": identifier}),
        start=None,
        end=None,
        last_updated_at=None,
        file_generated_at=None,
        imported_at=None,
        is_sample=False,
        share=WHOLE_SHARE,
    )
    return OutcomeResources(
        activity=activity,
        # Spending is disbursements + expenditure: the bars show expenditure here.
        year_money=BudgetAndSpending(budget=tuple(budget), expenditure=tuple(spent)),
        period_money=BudgetAndSpending(),
        period=None,
        funding=NO_FUNDING,
        outputs=(),
        outputs_of_other_years=0,
        provenance=Provenance((), 2024),
    )


def view_of(*outcomes: OutcomeResources) -> ResultsResourcesView:
    year_totals = add_up(outcome.year_money for outcome in outcomes)
    publisher = PublisherYear(
        ref="XM-A", name=Narratives({"en": "A"}), rows=(), money=year_totals, funding=NO_FUNDING
    )
    return ResultsResourcesView(
        year=2024,
        publishers=(
            PublisherResources(
                publisher=publisher,
                outcomes=outcomes,
                period_totals=BudgetAndSpending(),
                period=None,
            ),
        ),
        provenance=Provenance((), 2024),
    )


@pytest.fixture
def english(app):
    with app.test_request_context("/en/"):
        yield


def test_bars_are_proportional_and_carry_their_values(english):
    view = view_of(
        resources("XM-A-MLI_D_1.1", [Money(Decimal(200), "USD")], [Money(Decimal(50), "USD")]),
        resources("XM-A-MLI_D_1.2", [Money(Decimal(100), "USD")], []),
    )
    (chart,) = charts.budget_vs_expenditure_by_outcome(view)
    assert chart.id == "chart-outcome-money-usd"
    assert [category.label for category in chart.categories] == ["MLI_D_1.1", "MLI_D_1.2"]
    first, second = chart.categories
    assert first.bars[0].width == charts.BAR_AREA
    assert first.bars[1].width == charts.BAR_AREA / 4
    assert second.bars[0].width == charts.BAR_AREA / 2
    assert [bar.text for bar in first.bars] == ["$200", "$50"]
    assert second.bars[1].value is None and second.bars[1].text == "not reported"
    assert "2 groups of bars" in chart.description
    # Groups do not overlap, and the picture is tall enough for all of them.
    tops = [category.bars[0].y for category in chart.categories]
    assert tops == sorted(tops) and chart.height > second.bars[-1].y + charts.BAR_HEIGHT


def test_one_chart_per_currency_with_the_outcomes_that_have_it(english):
    view = view_of(
        resources("XM-A-MLI_D_1.1", [Money(Decimal(200), "USD")], []),
        resources("XM-A-MLI_D_1.2", [Money(Decimal(90), "EUR")], [Money(Decimal(30), "EUR")]),
    )
    eur, usd = charts.budget_vs_expenditure_by_outcome(view)
    assert (eur.currency, usd.currency) == ("EUR", "USD")
    assert [category.label for category in eur.categories] == ["MLI_D_1.2"]
    assert [category.label for category in usd.categories] == ["MLI_D_1.1"]
    assert eur.categories[0].bars[0].width == charts.BAR_AREA  # each on its own scale
    assert "EUR" in eur.title and eur.id != usd.id


def test_all_zero_or_negative_values_draw_no_bar_but_say_the_value(english):
    view = view_of(
        resources("XM-A-MLI_D_1.1", [Money(Decimal(0), "USD")], [Money(Decimal(-5), "USD")])
    )
    (chart,) = charts.budget_vs_expenditure_by_outcome(view)
    assert [bar.width for bar in chart.categories[0].bars] == [0, 0]
    assert [bar.text for bar in chart.categories[0].bars] == ["$0", "-$5"]


def test_no_money_no_chart(english):
    assert charts.budget_vs_expenditure_by_outcome(view_of()) == []
    assert charts.funding_by_partner(NO_FUNDING, 2024) == []
    assert charts.funding_by_partner(Funding(BY_INCOMING_COMMITMENTS, ()), 2024) == []


def test_partner_names_keep_their_language_and_are_shortened(app):
    partner = FundingPartner(
        name=Narratives({"en": "A very long name " * 10}),
        ref="XM-1",
        incoming=(Money(Decimal(10), "USD"),),
    )
    unnamed = FundingPartner(name=Narratives(), ref=None, incoming=(Money(Decimal(5), "USD"),))
    with app.test_request_context("/fr/"):
        (chart,) = charts.funding_by_partner(Funding(BY_INCOMING_FUNDS, (partner, unnamed)), 2024)
    first, second = chart.categories
    assert first.lang == "en" and len(first.label) == charts.LABEL_LENGTH
    assert first.label.endswith("…")
    assert second.lang is None and second.label


def test_short_identifier():
    assert charts.short_identifier("XM-DAC-41146-MLI_D_1.1") == "MLI_D_1.1"
    assert charts.short_identifier("XM-DAC-41146-PAP _O_1.1") == "PAP _O_1.1"
    assert charts.short_identifier("NOHYPHEN") == "NOHYPHEN"


def test_spending_bars_add_disbursements_and_expenditure(english):
    row = resources("XM-A-MLI_D_1.1", [Money(Decimal(200), "USD")], [Money(Decimal(50), "USD")])
    row = OutcomeResources(
        **{
            **row.__dict__,
            "year_money": BudgetAndSpending(
                budget=(Money(Decimal(200), "USD"),),
                disbursement=(Money(Decimal(50), "USD"),),
                expenditure=(Money(Decimal(50), "USD"),),
            ),
        }
    )
    (chart,) = charts.budget_vs_expenditure_by_outcome(view_of(row))
    assert [bar.text for bar in chart.categories[0].bars] == ["$200", "$100"]
    assert chart.categories[0].bars[1].width == charts.BAR_AREA / 2


def test_partners_ranked_by_commitments_say_so_and_groups_keep_ids_apart(english):
    partner = FundingPartner(
        name=Narratives({"en": "Donor"}), ref="XM-1", incoming=(Money(Decimal(10), "USD"),)
    )
    (funds,) = charts.funding_by_partner(Funding(BY_INCOMING_FUNDS, (partner,)), 2024)
    (commitments,) = charts.funding_by_partner(
        Funding(BY_INCOMING_COMMITMENTS, (partner,)), 2024, group=2
    )
    assert funds.title.startswith("Incoming funds by funding partner, 2024")
    assert commitments.title.startswith("Incoming commitments by funding partner, 2024")
    assert commitments.id != funds.id
