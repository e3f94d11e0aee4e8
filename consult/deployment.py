"""How the app is deployed: behind how many proxies, in how many web workers; warnings for settings that clash."""
import logging
import os
import shlex
import sys

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

logger = logging.getLogger("consult")


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT proxies, take the client address and scheme from their X-Forwarded-For/-Proto.

    Without it, every request seems to come from the proxy, and the sign-in limit is shared by the whole site.
    X-Forwarded-Host is not trusted: links in e-mails must not follow a header the client can set.
    """
    count = app.config.get("TRUSTED_PROXY_COUNT", 0)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)


def gunicorn_worker_count(argv: list[str] | None = None, environ=None) -> int:
    """How many web workers the gunicorn running this process starts (1 when not under gunicorn)."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if not argv or "gunicorn" not in os.path.basename(argv[0]):
        return 1
    arguments = shlex.split(environ.get("GUNICORN_CMD_ARGS", "")) + list(argv[1:])
    workers = environ.get("WEB_CONCURRENCY", "1")
    for index, argument in enumerate(arguments):
        if argument in ("-w", "--workers") and index + 1 < len(arguments):
            workers = arguments[index + 1]
        elif argument.startswith("--workers="):
            workers = argument.split("=", 1)[1]
        elif argument.startswith("-w") and argument[2:].isdigit():
            workers = argument[2:]
    return int(workers) if str(workers).isdigit() else 1


def warn_about_shared_state(app: Flask, *, workers: int | None = None) -> None:
    """Log a warning when several web workers would each keep their own sign-in counts in memory."""
    workers = gunicorn_worker_count() if workers is None else workers
    storage = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if workers > 1 and storage.startswith("memory://"):
        logger.warning("%d web workers with RATELIMIT_STORAGE_URI=memory://: each worker counts sign-in attempts on "
                       "its own, so the limit is %d times too lax. Point RATELIMIT_STORAGE_URI at Redis.", workers, workers)
