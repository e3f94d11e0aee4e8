"""Configuration from the environment: secret key, database defaults and SQLite settings."""
import sqlalchemy as sa

from consult import create_app
from consult.config import normalise_database_url
from consult.extensions import db


def test_development_secret_key_is_generated_once_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dev.sqlite3'}")

    first = create_app("development", instance_path=str(tmp_path))
    second = create_app("development", instance_path=str(tmp_path))

    key_file = tmp_path / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_secret_key_from_environment_wins_in_development(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")

    app = create_app("development", instance_path=str(tmp_path))

    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")

    app = create_app("development", instance_path=str(tmp_path))

    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'consult.sqlite3'}"


def test_sqlite_uses_wal_busy_timeout_and_foreign_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app("development", instance_path=str(tmp_path))

    with app.app_context():
        results = [db.session.execute(sa.text(f"PRAGMA {name}")).scalar_one()
                   for name in ("journal_mode", "busy_timeout", "foreign_keys")]
        db.engine.dispose()

    assert results == ["wal", 10000, 1]


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
