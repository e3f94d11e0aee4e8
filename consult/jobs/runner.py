"""Run one job: its own app context and session, one commit, a rollback and a log entry when it fails."""
import logging

from flask import Flask
from werkzeug.utils import import_string

from consult.extensions import db

logger = logging.getLogger("consult.jobs")


def run_job(app: Flask, function: str, args, *, reraise: bool = True) -> None:
    """Call function(*args) in a fresh app context of app; commit once when it returns, roll back if it raises.

    The job function records its own failure on its own row (a report build marks itself FAILED) before raising
    or instead of raising; an exception that escapes is logged here, and re-raised (for RQ, which records it) unless
    reraise is false (in-process runs, whose caller is a committed request).
    """
    target = import_string(function)
    with app.app_context():
        try:
            target(*args)
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("Job %s%r failed", function, tuple(args))
            if reraise:
                raise
        finally:
            db.session.remove()
