"""Write audit entries."""
from consult.audit.models import AuditEntry
from consult.extensions import db


def record_audit(action: str, obj=None, *, actor=None, consultation_id: int | None = None,
                 summary: str = "", details: dict | None = None) -> AuditEntry:
    """Record that actor did action to obj (a model instance, flushed so it has an id)."""
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    if consultation_id is None and obj is not None:
        consultation_id = getattr(obj, "consultation_id", None)
    actor_id = getattr(actor, "id", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        actor_id=actor_id,
        consultation_id=consultation_id,
        summary=summary[:500],
        details=details or {},
    )
    db.session.add(entry)
    db.session.flush()
    return entry
