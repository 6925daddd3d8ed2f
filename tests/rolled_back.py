"""A test's database session: bound to one connection, its commits savepoints inside one
transaction rolled back at the end (tests/conftest.py's `db_session`, and the six real files'
database of tests/ledger/conftest.py)."""

from __future__ import annotations

from contextlib import contextmanager

from flask_sqlalchemy.session import Session as FlaskSession

from portal.extensions import db


class _ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's get_bind returns the engine and ignores `bind=`, so commits escaped
    the rolled-back test transaction; bind every statement to the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@contextmanager
def session_in_rolled_back_transaction(engine):
    """db.session bound to one connection of `engine`, its commits savepoints inside one
    transaction rolled back at the end; the previous db.session is put back afterwards."""
    connection = engine.connect()
    outer = connection.begin()
    original_session = db.session
    db.session = db._make_scoped_session(
        {
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
            "class_": _ConnectionBoundSession,
        }
    )
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original_session
        outer.rollback()
        connection.close()
