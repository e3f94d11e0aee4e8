"""One audit entry per state change."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import utcnow
from consult.extensions import db


class AuditEntry(db.Model):
    """A state change: actor, action, the object touched and details, at a UTC time."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    # Named by string, without importing accounts: the audit log stands below the areas that write to it.
    actor = relationship("User")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old, new) of what the entry changed, read from the forms services have written over time.

        "changes" ({field: [old, new]}) is the current form; older entries kept "before"/"after" mappings or a
        single "from"/"to" pair.
        """
        details = self.details or {}
        if isinstance(details.get("changes"), dict):
            return [(name, pair[0], pair[1]) for name, pair in details["changes"].items()
                    if isinstance(pair, list | tuple) and len(pair) == 2]
        before, after = details.get("before"), details.get("after")
        if isinstance(before, dict) and isinstance(after, dict):
            return [(name, before.get(name), after.get(name)) for name in after if before.get(name) != after.get(name)]
        if "from" in details and "to" in details:
            return [("", details["from"], details["to"])]
        return []
