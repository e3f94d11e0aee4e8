"""Reads of the audit log."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.audit.models import AuditEntry
from consult.extensions import db


def search_audit(*, action: str = "", object_type: str = "", object_id: int | None = None, page: int = 1, per_page: int = 50):
    """A page of audit entries, newest first, with their actors loaded in the same query."""
    query = sa.select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
