"""Work registered with after_commit runs once the transaction commits, and never when it rolls back."""
import sqlalchemy as sa

from consult.audit.models import AuditEntry
from consult.audit.services import record_audit
from consult.extensions import db
from consult.transaction import after_commit


def _committed_audit_count() -> int:
    # Counted on a connection of its own: what another process (a job's runner) would see.
    with db.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count(AuditEntry.id))).scalar_one()


def test_after_commit_runs_once_after_the_commit_and_sees_the_rows(app):
    seen = []
    record_audit("test.write", None, actor=None, summary="written")
    after_commit(lambda: seen.append(_committed_audit_count()))

    assert seen == []
    db.session.commit()
    db.session.commit()

    assert seen == [1]


def test_after_commit_is_dropped_on_rollback(app):
    seen = []
    record_audit("test.write", None, actor=None, summary="rolled back")
    after_commit(lambda: seen.append("ran"))

    db.session.rollback()
    db.session.commit()

    assert (seen, _committed_audit_count()) == ([], 0)
