"""Migration proplang_02: proposals filed before it get the language their text reads as."""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from consult import create_app
from consult.extensions import db
from consult.paths import resource_dir

TEXTS = {
    "Réseaux communautaires et haut débit rural": "Des coopératives villageoises installent leur propre réseau.",
    "Community networks for rural schools": "Villages build and run their own wireless networks.",
    "人工智能赋能智慧农业": "人工智能技术帮助小农户预测病虫害、管理灌溉并提高粮食产量。",
    "IFM Action Line C2 Infrastructure": "",
}


def _filler(column) -> object:
    """A value of the column's type for the NOT NULL columns the test does not care about."""
    kind = column["type"].python_type if hasattr(column["type"], "python_type") else str
    return {int: 1, bool: False, datetime: datetime(2026, 1, 1, tzinfo=UTC), dict: "{}"}.get(kind, "x")


def _insert(connection, table: str, **given) -> None:
    columns = [column for column in sa.inspect(connection).get_columns(table)
               if not column["nullable"] and column["default"] is None and column["name"] != "id"]
    values = {**{column["name"]: _filler(column) for column in columns}, **given}
    connection.execute(sa.table(table, *[sa.column(name) for name in values]).insert(), values)


def test_upgrade_gives_existing_proposals_their_detected_language(tmp_path):
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lang.sqlite3'}"},
                     instance_path=str(tmp_path))
    with app.app_context():
        upgrade(revision=ScriptDirectory(str(resource_dir("migrations"))).get_revision("proplang_02").down_revision)
        with db.engine.begin() as connection:
            # Constraints on the filler values are not what this test is about.
            connection.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
            _insert(connection, "consultations", id=1)
            for title, summary in TEXTS.items():
                _insert(connection, "proposals", consultation_id=1, title=title, summary=summary, description="")
        upgrade()
        languages = db.session.execute(sa.text("SELECT title, language FROM proposals ORDER BY id")).all()
        db.session.remove()
        db.engine.dispose()

    assert [language for _title, language in languages] == ["fr", "en", "zh", "en"]
