"""Fixtures: the app on a fresh database (SQLite, or PostgreSQL from TEST_DATABASE_URL), clients and factories."""
import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.extensions import db
from tests import factories

_schema_ready: set[str] = set()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """TEST_DATABASE_URL (PostgreSQL in CI) or an SQLite file for this test session."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        from consult.config import normalise_database_url

        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    """The application on an empty database with the whole schema."""
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url, "REPORT_CACHE_DIR": str(tmp_path / "report-cache")})
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(database_url)
        _empty_all_tables()
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign a user in on the test client (as Flask-Login would after a successful sign-in)."""

    def do_login(user, target=None):
        target = target or client
        with target.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return target

    return do_login


@pytest.fixture
def count_queries(app):
    """Context manager counting the SQL statements run inside it: `with count_queries() as counter: ...; counter.count`."""

    class Counter:
        count = 0
        statements: list[str] = []

    @contextmanager
    def counting():
        counter = Counter()
        counter.statements = []

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            counter.count += 1
            counter.statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

    return counting


@pytest.fixture
def make(app):
    """The factories module, for `make.make_user(...)` style use inside an app context."""
    return factories


@pytest.fixture
def consultation(app):
    """A consultation in its call-for-proposals phase, committed."""
    consultation = factories.make_consultation()
    db.session.commit()
    return consultation


@pytest.fixture
def drafting(app):
    """A consultation in its agenda-drafting phase, committed."""
    from consult.consultations.models import PhaseKind

    consultation = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    db.session.commit()
    return consultation


@pytest.fixture
def stakeholder(app):
    user = factories.make_user(name="Grace Otieno", organization="Digital Inclusion Kenya", country="KE")
    db.session.commit()
    return user


@pytest.fixture
def reviewer(app):
    from consult.accounts.models import Role
    from consult.reference import StakeholderType

    user = factories.make_user(role=Role.REVIEWER, name="Lukas Berger", organization="University of Vienna",
                               stakeholder_type=StakeholderType.ACADEMIA, country="AT")
    db.session.commit()
    return user


@pytest.fixture
def chair(app):
    from consult.accounts.models import Role
    from consult.reference import StakeholderType

    user = factories.make_user(role=Role.CHAIR, name="Amina Diallo", organization="WSIS Secretariat",
                               stakeholder_type=StakeholderType.INTERNATIONAL_ORGANIZATION, country="CH")
    db.session.commit()
    return user
