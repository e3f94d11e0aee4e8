"""Reads of the audit log."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.audit.models import AuditEntry
from consult.extensions import db

# The most rows one CSV export holds: a year of a busy consultation is well below it.
EXPORT_LIMIT = 200_000


@dataclass(frozen=True)
class AuditFilters:
    """What the chair narrows the log to; empty values filter nothing. Dates are whole UTC days, both included."""

    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    person: str = ""
    date_from: date | None = None
    date_to: date | None = None


def last_actor_id(obj) -> int | None:
    """Who made the latest audit entry on obj (a model instance): a user id, or None (no entry, or no person)."""
    return db.session.execute(
        sa.select(AuditEntry.actor_id)
        .where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def audit_select(filters: AuditFilters):
    """The entries matching filters, newest first, with their actors loaded in the same query."""
    query = sa.select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.person:
        # The actor's class through the relationship: the audit log stands below accounts and does not import it.
        user = AuditEntry.actor.property.mapper.class_
        needle = filters.person.strip().lower()
        query = query.where(AuditEntry.actor.has(sa.or_(
            sa.func.lower(user.name).contains(needle, autoescape=True),
            sa.func.lower(user.email).contains(needle, autoescape=True))))
    if filters.date_from is not None:
        query = query.where(AuditEntry.created_at >= _day_start(filters.date_from))
    if filters.date_to is not None:
        query = query.where(AuditEntry.created_at < _day_start(filters.date_to + timedelta(days=1)))
    return query


def search_audit(filters: AuditFilters | None = None, *, page: int = 1, per_page: int = 50):
    """A page of audit entries matching filters, newest first."""
    return db.paginate(audit_select(filters or AuditFilters()), page=page, per_page=per_page, error_out=False)


def audit_rows(filters: AuditFilters) -> tuple[list[str], list[list]]:
    """The filtered log as a table for CSV: one row per changed field (or one per entry without changes)."""
    header = ["when_utc", "actor_name", "actor_email", "action", "object_type", "object_id", "summary",
              "field", "old_value", "new_value"]
    rows = []
    for entry in db.session.execute(audit_select(filters).limit(EXPORT_LIMIT)).scalars():
        head = [entry.created_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor.name if entry.actor else "", entry.actor.email if entry.actor else "",
                entry.action, entry.object_type, entry.object_id or "", entry.summary]
        for name, old, new in entry.changes or [("", "", "")]:
            rows.append(head + [name, "" if old is None else old, "" if new is None else new])
    return header, rows
