"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from consult import create_app
from consult.config import normalise_database_url
from consult.extensions import db
from consult.paths import resource_dir
from consult.proposals.search import is_search_object


def migration_head() -> str:
    """The single head revision of migrations/ (two heads would be a merge left undone)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"migrations/ has several heads: {heads}"
    return heads[0]


def schema_differences(database_url: str, tmp_path) -> list:
    """Run `flask db upgrade` on an empty database, then autogenerate's comparison with the models."""
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True,
                                                                   "include_name": lambda name, *_: not is_search_object(name)})
            differences = compare_metadata(context, db.metadata)
        version = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    return differences, version


def test_migrations_match_models_on_sqlite(tmp_path):
    differences, version = schema_differences(f"sqlite:///{tmp_path / 'migrated.sqlite3'}", tmp_path)

    assert differences == []
    assert version == migration_head()


def test_migrations_downgrade_to_empty_on_sqlite(tmp_path):
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'down.sqlite3'}"},
                     instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()

    assert tables == set()


@pytest.fixture
def scratch_postgres_url():
    """A throwaway database beside TEST_DATABASE_URL's, so the test schema is left alone."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url or not normalise_database_url(url).startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL does not point at PostgreSQL")
    base = sa.make_url(normalise_database_url(url))
    name = f"{base.database}_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_match_models_on_postgresql(scratch_postgres_url, tmp_path):
    differences, version = schema_differences(scratch_postgres_url, tmp_path)

    assert differences == []
    assert version == migration_head()
