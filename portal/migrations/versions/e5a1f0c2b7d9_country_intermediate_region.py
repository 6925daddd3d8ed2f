"""country.intermediate_m49: the UN M49 intermediate region ("011" Western Africa)

Revision ID: e5a1f0c2b7d9
Revises: d232b5d47583
Create Date: 2026-12-05 03:40:00

Existing countries get it from their newest stored M49 region fact (`country_fact` rows with
indicator "region" hold the most specific M49 area code of the UNSD file) when that area is
an intermediate region of the country's stored sub-region. The parent of each intermediate
region is repeated below, as portal.countries.facts may change later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e5a1f0c2b7d9"
down_revision = "d232b5d47583"
branch_labels = None
depends_on = None

# UN M49 intermediate regions and the sub-region each belongs to.
INTERMEDIATE_PARENT = {
    "014": "202",
    "017": "202",
    "018": "202",
    "011": "202",
    "029": "419",
    "013": "419",
    "005": "419",
    "830": "154",
}

country = sa.table(
    "country",
    sa.column("iso3", sa.String),
    sa.column("subregion_m49", sa.String),
    sa.column("intermediate_m49", sa.String),
)
country_fact = sa.table(
    "country_fact",
    sa.column("country_iso3", sa.String),
    sa.column("indicator", sa.String),
    sa.column("year", sa.Integer),
    sa.column("text_value", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.add_column(sa.Column("intermediate_m49", sa.String(length=3), nullable=True))

    bind = op.get_bind()
    newest: dict[str, str] = {}
    rows = bind.execute(
        sa.select(country_fact.c.country_iso3, country_fact.c.text_value)
        .where(country_fact.c.indicator == "region")
        .order_by(country_fact.c.year)
    )
    for iso3, area in rows:
        if area:
            newest[iso3] = area.strip().zfill(3) if area.strip().isdigit() else area.strip()
    subregions = dict(bind.execute(sa.select(country.c.iso3, country.c.subregion_m49)).all())
    for iso3, area in newest.items():
        if iso3 in subregions and INTERMEDIATE_PARENT.get(area) == subregions[iso3]:
            bind.execute(
                sa.update(country).where(country.c.iso3 == iso3).values(intermediate_m49=area)
            )


def downgrade() -> None:
    with op.batch_alter_table("country", schema=None) as batch_op:
        batch_op.drop_column("intermediate_m49")
