"""export-all / import-all: every row of every table comes back exactly, across SQLite and PostgreSQL."""
import json
import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.accounts.models import User
from consult.db import stored_tables
from consult.extensions import db
from tests import factories
from tests.every_table import AWKWARD_TEXT, EXACT_FLOAT, empty_tables, fill_every_table

# Exports stream rows through server-side cursors and imports run on connections of their own: real commits,
# not the rolled-back test transaction (PostgreSQL refuses a cursor declared around its savepoints).
pytestmark = pytest.mark.committing


def snapshot_rows() -> dict[str, list[tuple]]:
    """Every row of every table of the app in context, in primary-key order."""
    return {table.name: [tuple(row) for row in db.session.execute(
                sa.select(table).order_by(*(table.primary_key.columns or table.columns))).all()]
            for table in db.metadata.sorted_tables}


@contextmanager
def other_database(url: str, engine_options: dict | None = None):
    """A second app on its own empty database with the whole schema, in its own app context."""
    overrides = {"SQLALCHEMY_DATABASE_URI": url}
    if engine_options:
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    other = create_app("test", overrides=overrides)
    with other.app_context():
        db.drop_all()
        db.create_all()
        try:
            yield other
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@contextmanager
def postgres_schema_database():
    """A fresh schema in the PostgreSQL test database, used as a second database (no CREATE DATABASE needed)."""
    from consult.config import normalise_database_url

    url = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    schema = f"restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        with other_database(url, {"connect_args": {"options": f"-c search_path={schema}"}}) as other:
            yield other
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def export_to(app, path) -> None:
    result = app.test_cli_runner().invoke(args=["export-all", str(path)])
    assert result.exit_code == 0, result.output
    assert "Exported" in result.output


def import_from(app, path, *extra) -> str:
    result = app.test_cli_runner().invoke(args=["import-all", str(path), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def filled(app):
    objects = fill_every_table()
    db.session.commit()
    return objects


def test_fill_every_table_leaves_no_table_empty(filled):
    assert empty_tables() == []


def test_export_then_import_into_fresh_sqlite_keeps_every_row(app, filled, tmp_path):
    before = snapshot_rows()
    backup = tmp_path / "backup.json"
    export_to(app, backup)

    with other_database(f"sqlite:///{tmp_path / 'restored.sqlite3'}") as restored:
        output = import_from(restored, backup)
        after = snapshot_rows()
        new_user_id = factories.make_user().id

    stored = {table.name for table in stored_tables(db.metadata)}
    restored_rows = sum(len(rows) for name, rows in before.items() if name in stored)
    assert f"Imported {restored_rows} rows into {len(stored)} tables" in output
    assert before["proposal_tallies"] != []  # counted again by the triggers as the proposals came back
    assert after == before
    assert new_user_id == max(row[0] for row in before["users"]) + 1


def test_export_keeps_types_exactly(app, filled, tmp_path):
    backup = tmp_path / "backup.json"
    export_to(app, backup)

    document = json.loads(backup.read_text(encoding="utf-8"))
    tables = {entry["name"]: entry for entry in document["tables"]}
    criteria = tables["criteria"]
    days = dict(zip(tables["forum_days"]["columns"], tables["forum_days"]["rows"][0], strict=True))
    user_names = [dict(zip(tables["users"]["columns"], row, strict=True))["name"] for row in tables["users"]["rows"]]

    assert [entry["name"] for entry in document["tables"]] == [table.name for table in stored_tables(db.metadata)]
    assert dict(zip(criteria["columns"], criteria["rows"][0], strict=True))["weight"] == EXACT_FLOAT
    assert (days["starts_at"], days["ends_at"]) == ("09:15:00", "18:45:30")
    assert AWKWARD_TEXT[:120] in user_names


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_round_trip_between_sqlite_and_postgresql_keeps_every_row(app, filled, tmp_path):
    before = snapshot_rows()
    first, second = tmp_path / "from-source.json", tmp_path / "from-sqlite.json"
    export_to(app, first)

    with other_database(f"sqlite:///{tmp_path / 'hop.sqlite3'}") as sqlite_copy:
        import_from(sqlite_copy, first)
        on_sqlite = snapshot_rows()
        export_to(sqlite_copy, second)
    with postgres_schema_database() as postgres_copy:
        import_from(postgres_copy, second)
        on_postgres = snapshot_rows()
        new_user_id = factories.make_user().id
        db.session.commit()

    assert on_sqlite == before
    assert on_postgres == before
    # The id sequences moved past the imported ids.
    assert new_user_id == max(row[0] for row in before["users"]) + 1


def test_import_refuses_non_empty_database(app, filled, tmp_path):
    backup = tmp_path / "backup.json"
    export_to(app, backup)

    result = app.test_cli_runner().invoke(args=["import-all", str(backup)])

    assert result.exit_code == 1
    assert "The database is not empty (account_policies, consultations, site_generation and " in result.output
    assert "--replace" in result.output


def test_import_with_replace_restores_the_backup_over_changed_data(app, filled, tmp_path):
    before = snapshot_rows()
    backup = tmp_path / "backup.json"
    export_to(app, backup)
    factories.make_user(name="Added after the backup")
    filled["chair"].name = "Renamed after the backup"
    db.session.commit()

    import_from(app, backup, "--replace")
    db.session.expire_all()

    assert snapshot_rows() == before
    assert db.session.execute(sa.select(User).where(User.name == "Added after the backup")).scalar() is None


def test_import_of_unknown_table_is_refused_and_changes_nothing(app, tmp_path):
    backup = tmp_path / "backup.json"
    export_to(app, backup)
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["tables"].append({"name": "not_a_table", "columns": ["id"], "rows": [[1]]})
    backup.write_text(json.dumps(document), encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["import-all", str(backup)])

    assert result.exit_code == 1
    assert "table 'not_a_table' that this version of consult does not know" in result.output
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 0


def test_import_of_other_file_is_refused(app, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["import-all", str(path)])

    assert result.exit_code == 1
    assert "This is not a consult backup file." in result.output
