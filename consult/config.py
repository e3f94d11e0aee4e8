"""Configuration classes; every setting that differs between machines is read from the environment."""
import os
import secrets
from pathlib import Path


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False
    # Long forms take time to write: a CSRF token stays valid for the whole browser session.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True
    # Import files are the largest bodies a user sends.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "http"
    LOGIN_RATE_LIMIT = "10 per minute; 60 per hour"
    # Requests that send an e-mail (reset, re-sent verification) and second-factor codes are throttled too.
    EMAIL_LINK_RATE_LIMIT = "5 per minute; 20 per hour"
    TWO_FACTOR_RATE_LIMIT = "10 per minute; 40 per hour"
    PASSWORD_RESET_MAX_AGE = 60 * 60
    EMAIL_VERIFICATION_MAX_AGE = 7 * 24 * 60 * 60
    INVITATION_MAX_AGE = 14 * 24 * 60 * 60
    TWO_FACTOR_ISSUER = "WSIS consult"
    # Fernet keys that seal secrets kept in the database (consult.sealing); empty: one derived from SECRET_KEY.
    DATA_KEYS: list[str] = []
    # How many proxies (the TLS terminator, a load balancer) stand in front and set X-Forwarded-For/-Proto.
    TRUSTED_PROXY_COUNT = 0
    RATELIMIT_HEADERS_ENABLED = True
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # The six UN languages (consult/i18n.py says how a request picks one).
    SUPPORTED_LOCALES = ["ar", "zh", "en", "fr", "ru", "es"]
    PAGE_SIZE = 50
    # A filtered list that leaves at most this many proposals is read once and counted in the app; beyond it the
    # database counts (consult/proposals/listing.py).
    LIST_COUNTED_IN_APP = 5000
    # The site's public address, such as https://consult.example.org: every link in an e-mail (decisions, password
    # resets, invitations, agenda changes, reminders) starts with it, from a request, a queue worker or the command
    # line alike (consult/urls.py). Set it in production: without it a request's own Host header would be used, and
    # outside a request http://localhost.
    PUBLIC_BASE_URL = None
    # Public pages for visitors who are not signed in are kept rendered in memory (consult/pagecache.py).
    PAGE_CACHE = True
    # How old a worker's reading of the content counter may be when it serves a visitor (consult/pagecache.py).
    PAGE_CACHE_RECHECK_SECONDS = 1.0
    PASSWORD_MIN_LENGTH = 10
    MAIL_DEFAULT_SENDER = "consult@localhost"
    REPORT_WORKERS = 0  # 0: one per CPU core
    # Where queue jobs (PDF builds, e-mail, ...) run: "rq" (RQ workers on REDIS_URL; the default when it is set),
    # "thread" (in the web process; the default without Redis) or "inline" (tests). See consult/jobs/.
    JOBS_BACKEND = None
    JOBS_QUEUE = "consult"
    # A queued or running job silent for this long is stalled (its worker died): the page offers to retry it.
    JOB_STALE_SECONDS = 300
    # Above these sizes the areas' long work runs as a queue job whose page shows its progress; below, the request
    # answers at once (measured here: each stays under about a second, benchmarks/bench_clustering.py,
    # bench_agenda.py and bench_review.py). Proposals to group, sessions to place, submitted proposals to assign.
    CLUSTERING_JOB_THRESHOLD = 300
    # How long a worker answers "similar proposals" and label suggestions from its fitted text model before it
    # checks again that no proposal changed: the check reads every submitted row (80-170 ms at 50,000 proposals
    # on SQLite and PostgreSQL), the answer itself a few milliseconds. 0: check on every call.
    TEXT_MODEL_RECHECK_SECONDS = 2.0
    SCHEDULING_JOB_THRESHOLD = 40
    ASSIGNMENT_JOB_THRESHOLD = 500
    # What `flask --app consult jobs-scheduler` enqueues every round (names, so that no area is imported here).
    PERIODIC_JOBS = (
        "consult.outbox.delivery.deliver_outstanding_job",
        "consult.proposals.import_previews.forget_expired_previews",
    )

    @classmethod
    def from_environment(cls, instance_path: str) -> dict:
        """Settings read from the environment at app creation (not at import)."""
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'consult.sqlite3'}"
        return {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "SECRET_KEY": os.environ.get("SECRET_KEY"),
            "DATA_KEYS": [key for key in os.environ.get("DATA_KEYS", "").split(",") if key.strip()],
            "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
            "TRUSTED_PROXY_COUNT": int(os.environ.get("TRUSTED_PROXY_COUNT", cls.TRUSTED_PROXY_COUNT)),
            "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
            "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
            "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
            "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
            "MAIL_USE_TLS": env_flag("MAIL_USE_TLS", True),
            "MAIL_USE_SSL": env_flag("MAIL_USE_SSL", False),
            "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", cls.MAIL_DEFAULT_SENDER),
            "REPORT_WORKERS": int(os.environ.get("REPORT_WORKERS", cls.REPORT_WORKERS)),
            "JOBS_BACKEND": os.environ.get("JOBS_BACKEND"),
            "JOBS_QUEUE": os.environ.get("JOBS_QUEUE"),
            "JOB_STALE_SECONDS": int(os.environ["JOB_STALE_SECONDS"]) if os.environ.get("JOB_STALE_SECONDS") else None,
            "REPORT_CACHE_DIR": os.environ.get("REPORT_CACHE_DIR"),
            "REDIS_URL": os.environ.get("REDIS_URL"),
            "PUBLIC_BASE_URL": (os.environ.get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
        }


class DevelopmentConfig(Config):
    """Local use: a secret key generated once and kept in the instance folder."""


class ProductionConfig(Config):
    """Behind HTTPS: secure cookies, and SECRET_KEY must come from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestConfig(Config):
    """The test suite: its own database from TEST_DATABASE_URL or a temporary SQLite file."""

    ENV_NAME = "test"
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  # nosec B105 (the test suite's own key)
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  # nosec B105 (a hash method name, not a password)
    # Jobs run before the request returns, so a test sees their result; the queue tests choose "rq" themselves.
    JOBS_BACKEND = "inline"
    # A test sees the proposals it has just written.
    TEXT_MODEL_RECHECK_SECONDS = 0.0


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres URLs (as hosting platforms hand them out)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def development_secret_key(instance_path: str) -> str:
    """A secret key generated on first start and kept in the instance folder."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
