"""Work that must wait for the transaction to commit: starting a job that reads the new rows, removing a file.

The request (or the CLI command, or the job) commits once; a view that starts something which needs the data it
just wrote registers it here instead of committing early. A rollback drops what was registered.
"""
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from consult.extensions import db

_KEY = "consult_after_commit"


def after_commit(callback: Callable[[], object], *, session: Session | None = None) -> None:
    """Call callback once the current transaction of session (the app's) has committed; never if it rolls back."""
    (session or db.session).info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_KEY, []):
        callback()


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
