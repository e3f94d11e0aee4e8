"""consult: an open consultation workflow system (proposals, committee review, draft agenda, reports)."""
import importlib
import logging
import math
import os
import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consult.config import CONFIGS, development_secret_key
from consult.paths import PACKAGE_DIR, resource_dir

__version__ = "0.1.0"


def create_app(config: str | type | None = None, overrides: dict | None = None,
               instance_path: str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI and error handlers."""
    app = Flask(
        __name__,
        # CONSULT_INSTANCE_PATH: the instance folder (report cache, development key) outside the checkout.
        instance_path=instance_path or os.environ.get("CONSULT_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    config_class = CONFIGS[config or os.environ.get("CONSULT_ENV", "development")] if not isinstance(config, type) else config
    app.config.from_object(config_class)
    app.jinja_env.add_extension("jinja2.ext.do")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update({key: value for key, value in config_class.from_environment(app.instance_path).items()
                       if value is not None and key not in _explicit_settings(config_class)})
    if overrides:
        app.config.update(overrides)
    _configure_secret_key(app)
    _configure_logging(app)

    _init_extensions(app)
    from consult.urls import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter  # before any route is registered
    _register_blueprints(app)
    _register_cli(app)

    from consult.outcomes import register_outcomes
    from consult.web import register_web_hooks

    register_web_hooks(app)
    from consult.i18n import register_i18n

    register_i18n(app)
    from consult.deployment import trust_proxies, warn_about_shared_state

    trust_proxies(app)
    warn_about_shared_state(app)
    register_outcomes(app)
    return app


def _explicit_settings(config_class: type) -> set[str]:
    """Settings a config class fixes itself (the test config's secret key), which the environment must not override."""
    return {key for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "JOBS_BACKEND") if getattr(config_class, key, None)}


def _configure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError("SECRET_KEY must be set in the environment in production (CONSULT_ENV=production).")
    app.config["SECRET_KEY"] = development_secret_key(app.instance_path)


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)


def _init_extensions(app: Flask) -> None:
    from consult.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    from consult import jobs

    jobs.init_app(app)
    from consult.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(PACKAGE_DIR / "translations"))

    from consult.accounts.services import load_user_from_session_id

    login_manager.init_app(app)
    login_manager.user_loader(load_user_from_session_id)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from consult.accounts.signin import SIGN_IN_NEEDED, sign_in_message

    login_manager.login_message = SIGN_IN_NEEDED
    login_manager.localize_callback = sign_in_message
    login_manager.session_protection = "basic"

    import consult.models  # noqa: F401  (every table registered on the metadata)
    # Each area's part of a person's data download and of closing an account (signals of consult.accounts.privacy).
    for area in ("proposals", "review", "agenda"):
        importlib.import_module(f"consult.{area}.personal_data")
    from consult.pagecache import install_listeners

    install_listeners()


def _register_blueprints(app: Flask) -> None:
    from consult.accounts.views import bp as accounts_bp
    from consult.agenda.views import bp as agenda_bp
    from consult.audit.views import bp as audit_bp
    from consult.clustering.views import bp as clustering_bp
    from consult.consultations.views import bp as consultations_bp
    from consult.outbox.views import bp as outbox_bp
    from consult.proposals.classify_views import bp as classification_bp
    from consult.proposals.drafting_views import bp as drafting_bp
    from consult.proposals.speaker_views import bp as speakers_bp
    from consult.proposals.views import bp as proposals_bp
    from consult.reports.views import bp as reports_bp
    from consult.review.discussion_views import bp as discussion_bp
    from consult.review.views import bp as review_bp
    from consult.web import bp as main_bp

    for blueprint in (main_bp, accounts_bp, consultations_bp, audit_bp, outbox_bp, proposals_bp, speakers_bp,
                      classification_bp, drafting_bp, review_bp, discussion_bp, clustering_bp, agenda_bp, reports_bp):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from consult.cli import register_commands

    register_commands(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL for concurrent readers, a busy timeout instead of 'database is locked', enforced foreign keys, and sqrt()."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if SQLITE_LACKS_SQRT:
            dbapi_connection.create_function("sqrt", 1, _sqlite_sqrt, deterministic=True)
        cursor.close()


@event.listens_for(Engine, "engine_connect")
def _batched_inserts(connection) -> None:
    """Many rows inserted at once go as multi-row INSERTs on PostgreSQL too, not one statement per row.

    psycopg sends an executemany as one statement per row; the tallies' insert triggers count per statement
    (consult/proposals/tallies.py), and one statement per 1,000 rows keeps a bulk import from updating the same
    tally rows once per row.
    """
    if connection.dialect.name == "postgresql":
        connection.dialect.use_insertmanyvalues_wo_returning = True


def _sqlite_lacks_sqrt() -> bool:
    """Whether this SQLite library was built without its math functions (the ranking's SQL needs sqrt)."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("SELECT sqrt(4.0)")
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()
    return False


def _sqlite_sqrt(value):
    return math.sqrt(value) if value is not None and value >= 0 else None


SQLITE_LACKS_SQRT = _sqlite_lacks_sqrt()


