"""Background report builds and their progress."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import TimestampMixin, enum_type
from consult.extensions import db


class ReportKind(enum.Enum):
    """Which document a job builds."""

    AGENDA = "agenda"
    OUTCOMES = "outcomes"


class JobState(enum.Enum):
    """Where a background build stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportJob(TimestampMixin, db.Model):
    """A PDF build running in the background; the chair follows its progress and downloads the result."""

    __tablename__ = "report_jobs"
    __table_args__ = (sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReportKind] = mapped_column(enum_type(ReportKind, "report_kind"))
    state: Mapped[JobState] = mapped_column(enum_type(JobState, "job_state"), default=JobState.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    is_draft_preview: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Each run (the first, every retry) claims the job with the next attempt number; only that run may finish it.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Written by the running build at least every few seconds; a RUNNING job without one is stalled (dead worker).
    heartbeat_at: Mapped[datetime | None]
    # The download's file name; the PDF itself is kept in the database, so that every host can serve it.
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    document: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    page_count: Mapped[int | None]
    finished_at: Mapped[datetime | None]
