"""Alembic environment: migrations run on the connection portal.schema hands over."""

from alembic import context

import portal.codelists.models  # noqa: F401  (register tables on the metadata)
import portal.countries.models  # noqa: F401
import portal.iati.models  # noqa: F401
import portal.problems.models  # noqa: F401
import portal.quality.models  # noqa: F401
import portal.survey.models  # noqa: F401
from portal.extensions import db
from portal.search.index import compared_by_alembic

target_metadata = db.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=compared_by_alembic,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
