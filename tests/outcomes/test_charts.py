"""The chart geometry: bars proportional to their values, one chart per currency, values
written as text, and missing values said, not drawn; labels and values that fit the drawing,
which is narrow enough for a phone."""

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


def resources(
    identifier: str, budget: list[Money], spent: list[Money], title: str | None = None
) -> OutcomeResources:
    activity = LedgerActivity(
        id=hash(identifier),
        iati_identifier=identifier,
        plan_period="2022-2025",
        publisher_ref="XM-A",
        publisher_name=Narratives({"en": "A"}),
        default_lang="en",
        default_currency="USD",
        title=Narratives({"en": title} if title else {}),
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
    first, second = chart.categories
    assert first.bars[0].width == chart.bar_area
    assert first.bars[1].width == chart.bar_area / 4
    assert second.bars[0].width == chart.bar_area / 2
    assert [bar.text for bar in first.bars] == ["$200", "$50"]
    assert second.bars[1].value is None and second.bars[1].text == "not reported"
    assert "2 groups of bars" in chart.description
    # Groups do not overlap, and the picture is tall enough for all of them.
    tops = [category.bars[0].y for category in chart.categories]
    assert tops == sorted(tops) and chart.height > second.bars[-1].y + charts.BAR_HEIGHT


def test_bars_are_named_by_the_outcomes_title_and_the_table_adds_its_code(english):
    view = view_of(
        resources(
            "XM-A-MLI_D_1.1",
            [Money(Decimal(200), "USD")],
            [],
            title="More women lead and take part in decision-making at every level in Mali",
        ),
        resources("XM-A-MLI_D_1.2", [Money(Decimal(100), "USD")], []),
    )
    titled, untitled = charts.budget_vs_expenditure_by_outcome(view)[0].categories
    assert titled.label.startswith("More women lead") and titled.note == "MLI_D_1.1"
    assert " ".join(titled.lines).rstrip("…") in titled.label
    # An untitled outcome is named by its code, once.
    assert (untitled.label, untitled.lines, untitled.note) == ("MLI_D_1.2", ("MLI_D_1.2",), None)


def test_one_chart_per_currency_with_the_outcomes_that_have_it(english):
    view = view_of(
        resources("XM-A-MLI_D_1.1", [Money(Decimal(200), "USD")], []),
        resources("XM-A-MLI_D_1.2", [Money(Decimal(90), "EUR")], [Money(Decimal(30), "EUR")]),
    )
    eur, usd = charts.budget_vs_expenditure_by_outcome(view)
    assert (eur.currency, usd.currency) == ("EUR", "USD")
    assert [category.label for category in eur.categories] == ["MLI_D_1.2"]
    assert [category.label for category in usd.categories] == ["MLI_D_1.1"]
    assert eur.categories[0].bars[0].width == eur.bar_area  # each on its own scale
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
    # The table names the partner in full; the drawing wraps and shortens the name.
    assert first.lang == "en" and first.label == " ".join(("A very long name " * 10).split())
    assert len(first.lines) == charts.LABEL_LINES and first.lines[-1].endswith("…")
    assert all(
        charts.text_width(line, bold=True) <= chart.width - 2 * charts.PADDING
        for line in first.lines
    )
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
    assert chart.categories[0].bars[1].width == chart.bar_area / 2


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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_value_fits_the_drawing_which_is_narrow_enough_for_a_phone(app, lang):
    view = view_of(
        resources("XM-A-MLI_D_1.1", [Money(Decimal(123456789), "USD")], []),
        resources("XM-A-MLI_D_1.2", [Money(Decimal(5), "USD")], [Money(Decimal(98765432), "USD")]),
    )
    with app.test_request_context(f"/{lang}/"):
        (chart,) = charts.budget_vs_expenditure_by_outcome(view)
    # Its text is 14 units: shown 343 px wide on a 375 px phone, at least 12 px.
    assert chart.width == charts.WIDTH and charts.FONT_SIZE * 343 / chart.width >= 12
    for category in chart.categories:
        for bar in category.bars:
            assert bar.drawn_text.endswith(bar.text)
            assert bar.text_x + charts.text_width(bar.drawn_text) <= chart.width - charts.PADDING
    # English has room for the series' names beside the amounts; French has not.
    named = all(": " in bar.drawn_text for bar in chart.categories[1].bars)
    assert named == (lang == "en")


def test_label_lines_wrap_at_spaces_and_cut_what_does_not_fit():
    assert charts.label_lines("Budget", 100) == ("Budget",)
    assert charts.label_lines("one two three four five six", 70) == ("one two", "three…")
    (cut,) = charts.label_lines("Téléchargementsdesdonnéesouvertes", 100, most=1)
    assert cut.endswith("…") and charts.text_width(cut, bold=True) <= 100
    # A CJK character is an em wide: fewer of them fit a line.
    chinese = charts.label_lines("妇女参与决策" * 10, 200)
    assert all(charts.text_width(line, bold=True) <= 200 for line in chinese)
