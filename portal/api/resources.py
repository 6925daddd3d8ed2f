"""The JSON shapes of the API: a country with its facts, an outcome with money and indicators.

Codes travel with their labels in the requested language ({"code": "4", "label": "Expenditure"});
publishers' texts with the language they are really in, and every language published.
Amounts are JSON numbers in the currency named beside them; dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from werkzeug.routing import BuildError

from portal.countries.models import Country
from portal.countries.queries import CountryFacts, FactValue, PopulationShare
from portal.downloads.queries import Provenance
from portal.downloads.tables import source_label
from portal.i18n import labels
from portal.i18n.formatting import pick_narrative, region_name, territory_name
from portal.iati.models import (
    Budget,
    Classification,
    Indicator,
    IndicatorPeriod,
    Outcome,
    ParticipatingOrg,
    Result,
    Transaction,
)
from portal.ledger import PublisherYear
from portal.ledger.rules import (
    FUNDING_ROLE,
    NO_MONEY,
    WHOLE_SHARE,
    BudgetAndSpending,
    Money,
    Share,
)
from portal.links import site_url
from portal.quality.queries import ListedFinding


def number(value: Decimal | int | float | None) -> int | float | None:
    """A JSON number: whole amounts as integers, others as the nearest float."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def iso_date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # stored in UTC without a zone
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def text(narratives: Mapping[str, str] | None, default_lang: str | None = None) -> dict | None:
    """The text in the requested language when published (else the original), its language,
    and every language the publisher gave."""
    picked = pick_narrative(narratives, default_lang)
    if picked is None:
        return None
    return {"text": picked.text, "lang": picked.lang, "narratives": dict(narratives or {})}


def coded(code: str | None, label: Callable[[str | None], str]) -> dict | None:
    if code is None or not str(code).strip():
        return None
    return {"code": str(code), "label": label(code)}


def _external_url(endpoint: str, **arguments) -> str | None:
    """An absolute link; None while the page it names does not exist yet."""
    try:
        return site_url(endpoint, external=True, **arguments)
    except BuildError:
        return None


# --- Countries --------------------------------------------------------------------------------


def _fact(fact: FactValue | None, value: object, label: str | None = None) -> dict | None:
    if fact is None or value is None:
        return None
    resource = {
        "value": value,
        "year": fact.year,
        "source": fact.source,
        "as_of": iso_date(fact.as_of),
    }
    if label is not None:
        resource["label"] = label
    return resource


def _share(share: PopulationShare | None) -> dict | None:
    if share is None:
        return None
    return {"percent": float(round(share.percent, 2)), "year": share.year}


def facts_resource(country: Country, facts: CountryFacts) -> dict:
    """The figures of the country page's header, each with its source and year."""
    income = facts.income_group
    return {
        "region": _area(country.region_m49),
        "subregion": _area(country.subregion_m49),
        "intermediate_region": _area(country.intermediate_m49),
        "income_group": _fact(
            income,
            income.text_value if income else None,
            labels.income_group_label(income.text_value) if income else None,
        ),
        "ldc": _fact(
            facts.ldc, bool(facts.ldc.value) if facts.ldc and facts.ldc.value is not None else None
        ),
        "gii": _fact(facts.gii, number(facts.gii.value) if facts.gii else None),
        "gdi": _fact(facts.gdi, number(facts.gdi.value) if facts.gdi else None),
        "population_total": _population(facts.population_total),
        "population_female": _population(facts.population_female),
        "population_male": _population(facts.population_male),
        "population_female_share": _share(facts.female_share),
        "population_male_share": _share(facts.male_share),
    }


def _population(fact: FactValue | None) -> dict | None:
    return _fact(fact, number(fact.value) if fact else None)


def _area(code: str | None) -> dict | None:
    if not code:
        return None
    return {"m49": code, "name": region_name(code)}


def country_resource(
    country: Country,
    facts: CountryFacts,
    outcome_count: int,
    link_arguments: Mapping[str, str],
) -> dict:
    return {
        "iso3": country.iso3,
        "iso2": country.iso2,
        "name": territory_name(country.iso2, country.english_name),
        "english_name": country.english_name,
        "outcome_count": outcome_count,
        "facts": facts_resource(country, facts),
        "links": {
            "self": site_url("api.country", external=True, iso3=country.iso3, **link_arguments),
            "outcomes": site_url(
                "api.country_outcomes", external=True, iso3=country.iso3, **link_arguments
            ),
            "html": _external_url("countries.overview", iso3=country.iso3),
        },
    }


# --- Outcomes ---------------------------------------------------------------------------------


def _money_list(amounts: Iterable[Money]) -> list[dict]:
    return [{"amount": number(item.amount), "currency": item.currency} for item in amounts]


def money_resource(money: BudgetAndSpending) -> dict:
    """Budget and spending (with its two parts) per currency, by the ledger's rules."""
    return {
        "budget": _money_list(money.budget),
        "spending": _money_list(money.spending),
        "disbursement": _money_list(money.disbursement),
        "expenditure": _money_list(money.expenditure),
    }


def year_money_resource(year: int | None, money: BudgetAndSpending | None) -> dict | None:
    if year is None:
        return None
    return {"year": year, **money_resource(money or NO_MONEY)}


def publisher_totals_resource(publisher: PublisherYear) -> dict:
    """One publisher's totals for a place and year: the sums the Overview shows."""
    return {
        "publisher": {"ref": publisher.ref, "name": text(publisher.name)},
        "outcome_count": publisher.activity_count,
        **money_resource(publisher.money),
        "funding_basis": publisher.funding.basis,
        "funding_partners": [
            {
                "ref": partner.ref,
                "name": text(partner.name),
                "amounts": _money_list(partner.incoming),
            }
            for partner in publisher.funding.partners
        ],
    }


def _organisation(ref: str | None, name: Mapping[str, str] | None) -> dict | None:
    if not ref and not name:
        return None
    return {"ref": ref, "name": text(name)}


def _budget(budget: Budget, default_currency: str | None) -> dict:
    return {
        "type": coded(budget.type_code, labels.budget_type_label),
        "status": coded(budget.status_code, labels.budget_status_label),
        "period_start": iso_date(budget.period_start),
        "period_end": iso_date(budget.period_end),
        "value": number(budget.value),
        "currency": budget.currency or default_currency,
        "value_date": iso_date(budget.value_date),
    }


def _transaction(transaction: Transaction, default_currency: str | None) -> dict:
    return {
        "type": coded(transaction.type_code, labels.transaction_type_label),
        "date": iso_date(transaction.date),
        "value": number(transaction.value),
        "currency": transaction.currency or default_currency,
        "value_date": iso_date(transaction.value_date),
        "provider": _organisation(transaction.provider_ref, transaction.provider_name),
        "receiver": _organisation(transaction.receiver_ref, transaction.receiver_name),
        "description": text(transaction.description),
    }


def _participating_org(org: ParticipatingOrg) -> dict:
    return {
        "role": coded(org.role_code, labels.organisation_role_label),
        "ref": org.ref,
        "type": org.org_type,
        "name": text(org.name),
    }


def _classification(classification: Classification) -> dict:
    return {
        "kind": classification.kind,
        "vocabulary": classification.vocabulary,
        "code": classification.code,
        "percentage": number(classification.percentage),
        "name": text(classification.name),
    }


def _period(period: IndicatorPeriod, lang: str | None) -> dict:
    return {
        "period_start": iso_date(period.period_start),
        "period_end": iso_date(period.period_end),
        "target": {"value": period.target_value, "comment": text(period.target_comment, lang)},
        "actual": {"value": period.actual_value, "comment": text(period.actual_comment, lang)},
    }


def _indicator(indicator: Indicator, lang: str | None) -> dict:
    return {
        "title": text(indicator.title, lang),
        "description": text(indicator.description, lang),
        "measure": coded(indicator.measure, labels.indicator_measure_label),
        "ascending": indicator.ascending,
        "baseline": {
            "year": indicator.baseline_year,
            "value": indicator.baseline_value,
            "comment": text(indicator.baseline_comment, lang),
        },
        "periods": [_period(period, lang) for period in indicator.periods],
    }


def _result(result: Result, lang: str | None) -> dict:
    return {
        "type": coded(result.type_code, labels.result_type_label),
        "aggregation_status": result.aggregation_status,
        "title": text(result.title, lang),
        "description": text(result.description, lang),
        "indicators": [_indicator(indicator, lang) for indicator in result.indicators],
    }


def source_resource(outcome: Outcome) -> dict:
    publisher = outcome.publisher
    source_file = outcome.source_file
    provenance = Provenance(
        publisher.ref if publisher else None,
        publisher.name if publisher else {},
        source_file.generated_at if source_file else None,
        source_file.imported_at if source_file else None,
    )
    return {
        "label": source_label(provenance),
        "publisher": _organisation(provenance.publisher_ref, provenance.publisher_name),
        "file_generated_at": iso_date(provenance.file_generated_at),
        "imported_at": iso_date(provenance.imported_at),
        "as_of": iso_date(provenance.as_of),
    }


def outcome_resource(
    outcome: Outcome,
    money_year: int | None,
    year_money: BudgetAndSpending | None,
    link_arguments: Mapping[str, str],
    share: Share = WHOLE_SHARE,
) -> dict:
    """An outcome as published: texts, status, dates, money, partners, results, provenance."""
    lang = outcome.default_lang
    currency = outcome.default_currency
    country = None
    if outcome.country_iso3:
        country = {
            "iso3": outcome.country_iso3,
            "name": territory_name(outcome.country_iso2, outcome.country_iso3),
        }
    return {
        "iati_identifier": outcome.iati_identifier,
        "plan_period": outcome.plan_period,
        "title": text(outcome.title, lang),
        "description": text(outcome.description, lang),
        "status": coded(outcome.status_code, labels.activity_status_label),
        "country": country,
        "default_currency": currency,
        "default_lang": lang,
        "dates": {
            "planned_start": iso_date(outcome.planned_start),
            "actual_start": iso_date(outcome.actual_start),
            "planned_end": iso_date(outcome.planned_end),
            "actual_end": iso_date(outcome.actual_end),
        },
        "share": {
            "fraction": number(share.fraction),
            "basis": share.basis,
            "percentage": number(share.percentage),
        },
        "money": year_money_resource(money_year, year_money),
        "budgets": [_budget(budget, currency) for budget in outcome.budgets],
        "transactions": [_transaction(row, currency) for row in outcome.transactions],
        "funding_partners": [
            _organisation(org.ref, org.name)
            for org in outcome.participating_orgs
            if org.role_code == FUNDING_ROLE and (org.ref or org.name)
        ],
        "participating_orgs": [_participating_org(org) for org in outcome.participating_orgs],
        "classifications": [_classification(row) for row in outcome.classifications],
        "results": [_result(result, lang) for result in outcome.results],
        "progress_narratives": [
            {"year": narrative.year, "text": text(narrative.text, lang)}
            for narrative in outcome.progress_narratives
        ],
        "source": source_resource(outcome),
        "links": {
            "html": _external_url(
                "outcomes.outcome",
                identifier=outcome.iati_identifier,
                plan_period=outcome.plan_period,
            ),
            "self": site_url(
                "api.outcome",
                external=True,
                identifier=outcome.iati_identifier,
                plan_period=outcome.plan_period,
                **link_arguments,
            ),
            "country": (
                site_url("api.country", external=True, iso3=outcome.country_iso3, **link_arguments)
                if outcome.country_iso3
                else None
            ),
        },
    }


# --- Data quality -----------------------------------------------------------------------------


def finding_resource(finding: ListedFinding, link_arguments: Mapping[str, str]) -> dict:
    """A finding: its kind in words, the value as published, the rule, and the activity, or
    the country whose reference fact it is about (`outcome` is then null)."""
    about = finding.about
    resource = {
        "kind": finding.kind,
        "flag": str(about.flag),
        "message": finding.message,
        "rule": str(about.rule),
        "record": finding.record,
        "value": finding.value,
        "outcome": None,
        "country": None,
    }
    if finding.about_country_fact:
        resource["country"] = {
            "iso3": finding.country_iso3,
            "url": _external_url("api.country", iso3=finding.country_iso3, **link_arguments)
            if finding.country_has_page
            else None,
        }
    else:
        resource["outcome"] = {
            "iati_identifier": finding.iati_identifier,
            "plan_period": finding.plan_period,
            "title": text(finding.title, finding.default_lang),
            "url": _external_url(
                "api.outcome",
                identifier=finding.iati_identifier,
                plan_period=finding.plan_period,
                **link_arguments,
            ),
        }
    return resource


def overview_totals_resource(total) -> dict:
    """A publisher's figures added up over several places (portal.ledger.world)."""
    return {
        "publisher": {"ref": total.ref, "name": text(total.name)},
        "outcome_count": total.activity_count,
        "place_count": total.place_count,
        **money_resource(total.money),
    }


def overview_place_resource(code: str, name: str, figures, html: str, level=None) -> dict:
    """A country or region of the global overview: its publishers' figures for the year."""
    resource = {
        "code": code,
        "name": name,
        "active": figures is not None,
        "publishers": [publisher_totals_resource(p) for p in figures.publishers]
        if figures is not None
        else [],
        "links": {"html": html},
    }
    if level is not None:
        resource["map_level"] = level
    return resource


def overview_group_resource(group) -> dict:
    """A Strategic Plan area or SDG of the global overview, with its outcomes' money."""
    return {
        "code": group.code,
        "label": group.label,
        "publisher_ref": group.publisher_ref,
        "outcome_count": len(group.outcomes),
        **money_resource(group.money),
    }
