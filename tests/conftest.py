"""Fixtures: the app on a fresh database (SQLite, or PostgreSQL from TEST_DATABASE_URL), clients and factories.

Each test runs inside one database transaction that is rolled back at its end, so no table is emptied between
tests: the session joins that transaction with `join_transaction_mode="create_savepoint"`, so code under test
that commits (views, CLI commands, inline jobs) commits a savepoint. Tests whose commits must be seen by other
connections (threads, subprocesses, live servers) are marked `committing` (tests/e2e is, as a whole) and get
the whole database emptied before and after instead. Under pytest-xdist every worker has its own SQLite file or
its own PostgreSQL database.
"""
import os
from contextlib import contextmanager

import flask_sqlalchemy.session
import jinja2
import pytest
import sqlalchemy as sa
from flask import current_app, has_app_context

from consult import create_app
from consult.config import normalise_database_url
from consult.extensions import db
from tests import factories
from tests.postgres import throwaway_database

_schema_ready: set[str] = set()
# The connection (inside its rolled-back transaction) each test app's sessions use, by app.
_joined_connections: dict = {}
_SAVEPOINT_STATEMENTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


class _SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory across the test apps: each test builds its own app, and compiling every
    template again for each one cost more than most tests themselves."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_bytecode_cache = _SharedBytecodeCache()


class _TestSession(flask_sqlalchemy.session.Session):
    """Flask-SQLAlchemy's session, bound to the test's open connection while the test app is in context."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and has_app_context():
            connection = _joined_connections.get(current_app._get_current_object())
            if connection is not None:
                return connection
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


# Other apps a test creates (a second database, a production config) keep their own engines: get_bind only
# joins the connection of the app the `app` fixture made.
db.session = db._make_scoped_session({"class_": _TestSession, "join_transaction_mode": "create_savepoint"})


def pytest_collection_modifyitems(items):
    """Browser journeys serve the app from another thread: they need real commits."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.committing)


def _worker_suffix() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """TEST_DATABASE_URL (PostgreSQL in CI; one database per xdist worker) or an SQLite file for this session."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    url = normalise_database_url(url)
    worker = _worker_suffix()
    if not worker or not url.startswith("postgresql"):
        yield url
        return
    with throwaway_database(url, f"{sa.make_url(url).database}_{worker}") as worker_url:
        yield worker_url


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        # Derived tables last: deleting the rows they count makes the triggers write to them.
        for table in sorted(tables, key=lambda table: bool(table.info.get("derived"))):
            db.session.execute(table.delete())
    db.session.commit()


@contextmanager
def _rolled_back_transaction(app):
    """Every session of app joins one transaction on one connection, rolled back when the test ends."""
    connection = db.engine.connect()
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        # pysqlite opens transactions lazily and RELEASE of an outermost savepoint commits: let the test's own
        # BEGIN hold the transaction, so every savepoint sits inside it.
        connection.connection.driver_connection.isolation_level = None
    transaction = connection.begin()
    if is_sqlite:
        connection.exec_driver_sql("BEGIN")
    _joined_connections[app] = connection
    try:
        yield
    finally:
        del _joined_connections[app]
        db.session.remove()
        transaction.rollback()
        if is_sqlite:
            connection.connection.driver_connection.isolation_level = ""
        connection.close()


@pytest.fixture
def app(request, database_url, tmp_path):
    """The application on an empty database with the whole schema (a rolled-back transaction per test)."""
    app = create_app(
        "test", overrides={"SQLALCHEMY_DATABASE_URI": database_url, "REPORT_CACHE_DIR": str(tmp_path / "report-cache")}
    )
    app.instance_path = str(tmp_path / "instance")
    app.jinja_env.bytecode_cache = _bytecode_cache
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            db.session.remove()
            _schema_ready.add(database_url)
        if request.node.get_closest_marker("committing"):
            _empty_all_tables()
            yield app
            db.session.remove()
            _empty_all_tables()
        else:
            with _rolled_back_transaction(app):
                yield app
        db.session.remove()
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
            if statement.startswith(_SAVEPOINT_STATEMENTS):
                return  # the test's own transaction turns commits into savepoints; the app does not issue them
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
