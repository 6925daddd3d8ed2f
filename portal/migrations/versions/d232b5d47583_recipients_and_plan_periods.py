"""recipients (every recipient country and region, with its share), publisher plan periods

Revision ID: d232b5d47583
Revises: survey0001
Create Date: 2026-12-04 18:29:47.201007

Existing outcomes get their recipient rows and last_updated_at from the copy of their
<iati-activity> element stored in outcome.source_xml, read here as portal.iati.parser reads
a file (that module may change later, so the few rules needed are repeated below), a batch
of outcomes at a time. UN Women's strategic plan periods are seeded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op
from lxml import etree

from portal.iati.recipient_countries import recipient_country

revision = "d232b5d47583"
down_revision = "survey0001"
branch_labels = None
depends_on = None

# Outcomes read per round: their stored XML copies are in memory together.
BATCH_OUTCOMES = 200
UN_WOMEN = "XM-DAC-41146"
UN_WOMEN_PLAN_PERIODS = ((2014, 2017), (2018, 2021), (2022, 2025), (2026, 2029))

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
UNDETERMINED = "und"
PERCENTAGE_LIMIT = Decimal(10) ** 4

outcome_table = sa.table(
    "outcome",
    sa.column("id", sa.Integer),
    sa.column("default_lang", sa.String),
    sa.column("source_xml", sa.LargeBinary),
    sa.column("last_updated_at", sa.DateTime),
)
recipient_table = sa.table(
    "recipient",
    sa.column("outcome_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("code", sa.String),
    sa.column("vocabulary", sa.String),
    sa.column("country_iso3", sa.String),
    sa.column("percentage", sa.Numeric(7, 3)),
    sa.column("name", sa.JSON),
)
plan_period_table = sa.table(
    "publisher_plan_period",
    sa.column("publisher_ref", sa.String),
    sa.column("first_year", sa.Integer),
    sa.column("last_year", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_updated_at", sa.DateTime(), nullable=True))

    op.create_table(
        "recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("vocabulary", sa.String(length=10), nullable=True),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("percentage", sa.Numeric(precision=7, scale=3), nullable=True),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_recipient_outcome_id_outcome"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient")),
    )
    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recipient_country"), ["country_iso3", "outcome_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recipient_region"), ["kind", "code", "outcome_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recipient_outcome_id"), ["outcome_id"], unique=False)

    op.create_table(
        "publisher_plan_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publisher_ref", sa.String(length=200), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher_plan_period")),
        sa.UniqueConstraint(
            "publisher_ref",
            "first_year",
            name=op.f("uq_publisher_plan_period_publisher_ref_first_year"),
        ),
    )
    with op.batch_alter_table("publisher_plan_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publisher_plan_period_publisher_ref"), ["publisher_ref"], unique=False
        )

    op.bulk_insert(
        plan_period_table,
        [
            {"publisher_ref": UN_WOMEN, "first_year": first, "last_year": last}
            for first, last in UN_WOMEN_PLAN_PERIODS
        ],
    )
    backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("publisher_plan_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publisher_plan_period_publisher_ref"))
    op.drop_table("publisher_plan_period")
    with op.batch_alter_table("recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipient_outcome_id"))
        batch_op.drop_index(batch_op.f("ix_recipient_region"))
        batch_op.drop_index(batch_op.f("ix_recipient_country"))
    op.drop_table("recipient")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_column("last_updated_at")


# -- backfill ------------------------------------------------------------------------------


def backfill(connection) -> None:
    """Recipient rows and last_updated_at of every stored outcome, a batch at a time."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=True,
    )
    set_last_updated = (
        outcome_table.update()
        .where(outcome_table.c.id == sa.bindparam("outcome_key"))
        .values(last_updated_at=sa.bindparam("moment"))
    )
    last_id = None
    while True:
        query = sa.select(
            outcome_table.c.id, outcome_table.c.default_lang, outcome_table.c.source_xml
        ).order_by(outcome_table.c.id)
        if last_id is not None:
            query = query.where(outcome_table.c.id > last_id)
        batch = connection.execute(query.limit(BATCH_OUTCOMES)).all()
        if not batch:
            return
        last_id = batch[-1].id
        recipients: list[dict] = []
        moments: list[dict] = []
        for outcome_id, default_lang, source_xml in batch:
            activity = _activity(source_xml, parser)
            if activity is None:
                continue
            for row in recipient_rows(activity, default_lang):
                row["outcome_id"] = outcome_id
                recipients.append(row)
            moment = last_updated_at(activity)
            if moment is not None:
                moments.append({"outcome_key": outcome_id, "moment": moment})
        if recipients:
            connection.execute(recipient_table.insert(), recipients)
        if moments:
            connection.execute(set_last_updated, moments)


def _activity(source_xml: bytes | None, parser):
    if not source_xml:
        return None
    try:
        activity = etree.fromstring(source_xml, parser)
    except etree.XMLSyntaxError:
        return None
    if activity is None or activity.tag != "iati-activity":
        return None
    return activity


def recipient_rows(activity, default_lang: str | None) -> list[dict]:
    """One row per recipient-country / recipient-region child, in document order."""
    rows = []
    for child in activity.iterchildren("recipient-country", "recipient-region"):
        code = _clipped(child.get("code"), 20)
        if child.tag == "recipient-country":
            country = recipient_country(code.upper()) if code else None
            vocabulary = None
            country_iso3 = country.iso3 if country is not None else None
        else:
            vocabulary = _code(child.get("vocabulary")) or "1"
            country_iso3 = None
        rows.append(
            {
                "position": len(rows),
                "kind": "country" if child.tag == "recipient-country" else "region",
                "code": code,
                "vocabulary": vocabulary,
                "country_iso3": country_iso3,
                "percentage": _percentage(child.get("percentage")),
                "name": _narratives(child, default_lang),
            }
        )
    return rows


def last_updated_at(activity) -> dt.datetime | None:
    """@last-updated-datetime as naive UTC; None when absent or unreadable."""
    value = (activity.get("last-updated-datetime") or "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return moment


def _clipped(value: str | None, length: int) -> str | None:
    value = (value or "").strip()
    return value[:length] or None


def _code(value: str | None, length: int = 10) -> str | None:
    value = (value or "").strip()
    return value if value and len(value) <= length else None


def _percentage(value: str | None) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= PERCENTAGE_LIMIT:
        return None
    return number


def _narratives(element, default_lang: str | None) -> dict[str, str]:
    """Texts by lower-case language, as the parser stores them (1.x free text too)."""
    texts: dict[str, str] = {}
    found = False
    for narrative in element:
        if narrative.tag != "narrative":
            continue
        found = True
        text = _text(narrative, with_children=True).strip()
        if not text:
            continue
        raw_lang = narrative.get(XML_LANG)
        if raw_lang:
            lang = raw_lang.strip().lower() or UNDETERMINED
        else:
            lang = _inherited_lang(narrative, default_lang)
        texts[lang] = f"{texts[lang]}\n\n{text}" if lang in texts else text
    if not found and (element.text or len(element)):
        text = _text(element, with_children=False).strip()
        if text:
            lang = element.get(XML_LANG)
            lang = (lang.strip().lower() or UNDETERMINED) if lang else None
            texts[lang or _inherited_lang(element, default_lang)] = text
    return texts


def _text(element, *, with_children: bool) -> str:
    """The element's text; entity references left out, child elements' text if asked."""
    parts = [element.text or ""]
    for child in element:
        if with_children and isinstance(child.tag, str):
            parts.append(_text(child, with_children=True))
        parts.append(child.tail or "")
    return "".join(parts)


def _inherited_lang(element, default_lang: str | None) -> str:
    for ancestor in element.iterancestors():
        lang = ancestor.get(XML_LANG)
        if lang and lang.strip():
            return lang.strip().lower()
    return default_lang or UNDETERMINED
