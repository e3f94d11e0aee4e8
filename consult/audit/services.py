"""Write audit entries."""
from datetime import date, datetime
from enum import Enum

from consult.audit.models import AuditEntry
from consult.extensions import db


def plain(value):
    """A value as the audit log stores it in JSON: dates in ISO form, enums by value, other objects as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def field_changes(before: dict, after: dict) -> dict[str, list]:
    """{field: [old, new]} for the fields of after whose value differs from before's."""
    return {name: [plain(before.get(name)), plain(value)] for name, value in after.items()
            if plain(before.get(name)) != plain(value)}


def record_audit(action: str, obj=None, *, actor=None, consultation_id: int | None = None,
                 summary: str = "", details: dict | None = None, changes: dict | None = None) -> AuditEntry:
    """Record that actor did action to obj (a model instance, flushed so it has an id).

    changes, {field: [old, new]}, is what the log shows as old -> new (kept in details under "changes").
    """
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    if consultation_id is None and obj is not None:
        consultation_id = getattr(obj, "consultation_id", None)
    actor_id = getattr(actor, "id", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    details = dict(details or {})
    if changes:
        details["changes"] = {name: [plain(old), plain(new)] for name, (old, new) in changes.items()}
    entry = AuditEntry(
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        actor_id=actor_id,
        consultation_id=consultation_id,
        summary=summary[:500],
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
