"""The migrations build the schema the models describe, on SQLite and on PostgreSQL.

Alembic's autogenerate compares tables, columns, types and indexes but not CHECK constraints, so an enum member
added to a model without a migration would pass it and then be refused by a migrated database. So the test also
compares every CHECK constraint of a migrated database with those of a database built from the models, the
values each enum column allows, and the triggers (SQLite's batch mode rebuilds a table without its triggers: the
full-text index of proposals stopped following their edits that way once).
"""
import enum
import os
import re
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from consult import create_app, sealing
from consult.accounts.models import Role
from consult.config import normalise_database_url
from consult.db import enum_type, utcnow
from consult.extensions import db
from consult.paths import resource_dir
from consult.proposals.search import is_search_object
from tests.postgres import throwaway_database


def migration_head() -> str:
    """The single head revision of migrations/ (two heads would be a merge left undone)."""
    heads = ScriptDirectory(str(resource_dir("migrations"))).get_heads()
    assert len(heads) == 1, f"migrations/ has several heads: {heads}"
    return heads[0]


def _app(database_url: str, tmp_path):
    return create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path))


def _check_constraints(engine) -> dict[tuple[str, str], str]:
    """Every CHECK constraint of the database, by (table, name), its SQL with whitespace collapsed."""
    inspector = sa.inspect(engine)
    return {(table, check["name"]): " ".join(check["sqltext"].split())
            for table in inspector.get_table_names() if table != "alembic_version"
            for check in inspector.get_check_constraints(table)}


def _triggers(engine) -> set[tuple[str, str]]:
    """Every trigger of the database the application made, as (table, name)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            rows = connection.execute(sa.text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                                              "WHERE NOT tgisinternal"))
        else:
            rows = connection.execute(sa.text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"))
        return {(table, name) for table, name in rows}


def trigger_differences(migrated: set[tuple[str, str]], modelled: set[tuple[str, str]]) -> list[str]:
    """Triggers that only one of the two databases has."""
    return ([f"trigger {table}.{name}: only in the migrated database" for table, name in sorted(migrated - modelled)]
            + [f"trigger {table}.{name}: missing from the migrated database" for table, name in sorted(modelled - migrated)])


def allowed_values(check_sql: str) -> set[str]:
    """The string literals of an enum's CHECK constraint (`x IN ('a', 'b')`, or PostgreSQL's `= ANY (ARRAY[...])`)."""
    return {literal.replace("''", "'") for literal in re.findall(r"'((?:[^']|'')*)'", check_sql)}


def enum_differences(checks: dict[tuple[str, str], str], metadata: sa.MetaData) -> list[str]:
    """Enum columns of metadata whose values differ from what the database's CHECK constraints allow."""
    differences = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.Enum) or not column.type.create_constraint:
                continue
            check = checks.get((table.name, f"ck_{table.name}_{column.type.name}"))
            if check is None:
                differences.append(f"{table.name}.{column.name}: no CHECK constraint in the database")
                continue
            expected, allowed = set(column.type.enums), allowed_values(check)
            if expected != allowed:
                differences.append(f"{table.name}.{column.name}: models {sorted(expected - allowed)} not allowed, "
                                   f"database allows {sorted(allowed - expected)} the models lack")
    return differences


def check_differences(migrated: dict[tuple[str, str], str], modelled: dict[tuple[str, str], str]) -> list[str]:
    """CHECK constraints missing on either side or with other conditions."""
    return [f"{table}.{name}: migrations {migrated.get((table, name))!r}, models {modelled.get((table, name))!r}"
            for table, name in sorted(migrated.keys() | modelled.keys())
            if migrated.get((table, name)) != modelled.get((table, name))]


def schema_differences(database_url: str, modelled_url: str, tmp_path) -> tuple[list, str]:
    """Run `flask db upgrade` on an empty database, then compare it with the models: autogenerate's comparison,
    the CHECK constraints of a database built from the models at modelled_url, and the enum values."""
    app = _app(database_url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True,
                                                                   "include_name": lambda name, *_: not is_search_object(name)})
            differences = list(compare_metadata(context, db.metadata))
        migrated = _check_constraints(db.engine)
        migrated_triggers = _triggers(db.engine)
        version = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    modelled_app = _app(modelled_url, tmp_path)
    with modelled_app.app_context():
        db.create_all()
        modelled = _check_constraints(db.engine)
        modelled_triggers = _triggers(db.engine)
        db.engine.dispose()
    differences += check_differences(migrated, modelled) + enum_differences(migrated, db.metadata)
    differences += trigger_differences(migrated_triggers, modelled_triggers)
    return differences, version


def migrated_checks(database_url: str, tmp_path) -> dict[tuple[str, str], str]:
    app = _app(database_url, tmp_path)
    with app.app_context():
        upgrade()
        checks = _check_constraints(db.engine)
        db.engine.dispose()
    return checks


def test_migrations_match_models_on_sqlite(tmp_path):
    differences, version = schema_differences(f"sqlite:///{tmp_path / 'migrated.sqlite3'}",
                                              f"sqlite:///{tmp_path / 'modelled.sqlite3'}", tmp_path)

    assert differences == []
    assert version == migration_head()


def test_trigger_missing_from_the_migrations_is_a_difference():
    modelled = {("proposals", "proposals_search_insert"), ("proposals", "proposal_tally_proposal_insert")}

    assert trigger_differences({("proposals", "proposal_tally_proposal_insert")}, modelled) == [
        "trigger proposals.proposals_search_insert: missing from the migrated database"]


def test_migrated_database_has_the_check_constraints_of_the_models(tmp_path):
    checks = migrated_checks(f"sqlite:///{tmp_path / 'migrated.sqlite3'}", tmp_path)

    assert checks[("users", "ck_users_role")] == "role IN ('stakeholder', 'reviewer', 'chair')"
    assert checks[("consultations", "ck_consultations_reviewers_per_proposal_range")] == \
        "reviewers_per_proposal BETWEEN 1 AND 10"


class _RoleWithObserver(enum.Enum):
    """Role with one member more, as a model would have it before its migration is written."""

    STAKEHOLDER = "stakeholder"
    REVIEWER = "reviewer"
    CHAIR = "chair"
    OBSERVER = "observer"


def test_enum_member_added_without_migration_is_a_difference(tmp_path):
    checks = migrated_checks(f"sqlite:///{tmp_path / 'migrated.sqlite3'}", tmp_path)
    models = sa.MetaData(naming_convention=db.metadata.naming_convention)
    sa.Table("users", models, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("role", enum_type(_RoleWithObserver, "role")))

    assert {member.value for member in Role} == {"stakeholder", "reviewer", "chair"}
    assert enum_differences(checks, db.metadata) == []
    assert enum_differences(checks, models) == [
        "users.role: models ['observer'] not allowed, database allows [] the models lack"]


def test_check_constraint_changed_without_migration_is_a_difference():
    migrated = {("criteria", "ck_criteria_weight_positive"): "weight > 0"}
    modelled = {("criteria", "ck_criteria_weight_positive"): "weight >= 0.5",
                ("rooms", "ck_rooms_capacity_positive"): "capacity > 0"}

    assert check_differences(migrated, modelled) == [
        "criteria.ck_criteria_weight_positive: migrations 'weight > 0', models 'weight >= 0.5'",
        "rooms.ck_rooms_capacity_positive: migrations None, models 'capacity > 0'",
    ]


def test_migrations_downgrade_to_empty_on_sqlite(tmp_path):
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'down.sqlite3'}"},
                     instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()

    assert tables == set()


def test_sealing_migration_seals_the_secrets_stored_before_it_and_its_downgrade_opens_them(tmp_path):
    app = _app(f"sqlite:///{tmp_path / 'sealed.sqlite3'}", tmp_path)
    with app.app_context():
        upgrade(revision="tallies_02")
        for email, secret in (("two@example.org", "JBSWY3DPEHPK3PXP"), ("one@example.org", None)):
            db.session.execute(sa.text(
                "INSERT INTO users (email, name, password_hash, organization, stakeholder_type, country, role, "
                "is_active, session_version, created_at, updated_at, locale, totp_secret) VALUES (:email, 'A', 'x', "
                "'Org', 'civil_society', 'CH', 'stakeholder', 1, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', "
                "'en', :secret)"), {"email": email, "secret": secret})
        db.session.commit()

        upgrade(revision="sealed_01")
        sealed = db.session.execute(sa.text("SELECT email, totp_secret FROM users ORDER BY email")).all()
        downgrade(revision="tallies_02")
        opened = db.session.execute(sa.text("SELECT email, totp_secret FROM users ORDER BY email")).all()
        db.engine.dispose()

    assert sealed[0] == ("one@example.org", None) and sealed[1][1].startswith("gAAAAA")
    with app.app_context():
        assert sealing.unseal(sealed[1][1]) == "JBSWY3DPEHPK3PXP"
    assert opened == [("one@example.org", None), ("two@example.org", "JBSWY3DPEHPK3PXP")]


def _postgres_server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url or not normalise_database_url(url).startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL does not point at PostgreSQL")
    return normalise_database_url(url)


@pytest.fixture
def scratch_postgres_url():
    """A throwaway database beside TEST_DATABASE_URL's, so the test schema is left alone."""
    url = _postgres_server_url()
    with throwaway_database(url, f"{sa.make_url(url).database}_migrations_{uuid.uuid4().hex[:8]}") as scratch:
        yield scratch


@pytest.fixture
def modelled_postgres_url():
    """A second throwaway database, built from the models."""
    url = _postgres_server_url()
    with throwaway_database(url, f"{sa.make_url(url).database}_modelled_{uuid.uuid4().hex[:8]}") as scratch:
        yield scratch


def test_migrations_match_models_on_postgresql(scratch_postgres_url, modelled_postgres_url, tmp_path):
    differences, version = schema_differences(scratch_postgres_url, modelled_postgres_url, tmp_path)

    assert differences == []
    assert version == migration_head()


def test_withdrawn_drafts_become_drafts_again_and_withdrawn_submissions_stay(tmp_path):
    from consult.proposals.models import Proposal, ProposalStatus
    from consult.proposals.tallies import tallies
    from tests.factories import make_consultation, make_proposal, make_user

    app = _app(f"sqlite:///{tmp_path / 'drafts.sqlite3'}", tmp_path)
    with app.app_context(), app.test_request_context("/"):
        upgrade(revision="sealed_01")
        consultation = make_consultation()
        owner = make_user()
        draft = make_proposal(consultation, owner, status=ProposalStatus.DRAFT, title="Withdrawn draft")
        draft.status, draft.withdrawn_at, draft.withdraw_reason = ProposalStatus.WITHDRAWN, utcnow(), "Changed my mind"
        make_proposal(consultation, owner, status=ProposalStatus.WITHDRAWN, title="Withdrawn submission",
                      withdrawn_at=utcnow(), withdraw_reason="Merged")
        db.session.commit()
        consultation_id = consultation.id

        upgrade(revision="forms4_04")
        db.session.expire_all()
        rows = db.session.execute(sa.select(Proposal.title, Proposal.status, Proposal.withdraw_reason,
                                            Proposal.withdrawn_at.is_(None)).order_by(Proposal.title)).all()
        withdrawn_kinds = tallies(consultation_id, (ProposalStatus.WITHDRAWN,))["kind"]
        db.engine.dispose()

    assert rows == [("Withdrawn draft", ProposalStatus.DRAFT, "", True),
                    ("Withdrawn submission", ProposalStatus.WITHDRAWN, "Merged", False)]
    assert withdrawn_kinds == {"thematic": 1}
