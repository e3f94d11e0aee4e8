"""Short transactions beside a job's own: its claim and its progress, committed at once so the pages see them."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from consult.extensions import db


@contextmanager
def side_transaction() -> Iterator[Session]:
    """A session of its own on the job's database, committed when the block ends (rolled back if it raises).

    The job's work still commits once, at its end: what goes through here is bookkeeping that must be visible
    while the job runs (RUNNING, 40 %, a heartbeat), never part of its result.
    """
    session = Session(bind=db.session.get_bind(), join_transaction_mode="create_savepoint")
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
