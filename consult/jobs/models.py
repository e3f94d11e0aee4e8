"""What every tracked job has (state, progress, attempts, heartbeat), and the table of the areas' long work."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from consult.db import TimestampMixin, enum_type
from consult.extensions import db
from consult.reference import LabelledEnum, set_labels


class JobState(LabelledEnum):
    """Where a background job stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB_STATE_LABELS = set_labels(JobState, {JobState.QUEUED: _l("Queued"), JobState.RUNNING: _l("Running"),
                                         JobState.DONE: _l("Done"), JobState.FAILED: _l("Failed")})


class TrackedJob:
    """The columns consult.jobs.tracking claims, advances and finishes: one mechanism for every kind of job."""

    state: Mapped[JobState] = mapped_column(enum_type(JobState, "job_state"), default=JobState.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    # Each run (the first, every retry) claims the job with the next attempt number; only that run may finish it.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Written by the running job at every step; a queued or running job silent for long is stalled (dead worker).
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @declared_attr.directive
    def __table_args__(cls):
        return (sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),)


class WorkKind(LabelledEnum):
    """Which long piece of an area's work a job runs."""

    CLUSTER_SUGGESTIONS = "cluster_suggestions"
    AGENDA_SCHEDULE = "agenda_schedule"
    REVIEW_ASSIGNMENT = "review_assignment"


WORK_KIND_LABELS = set_labels(WorkKind, {WorkKind.CLUSTER_SUGGESTIONS: _l("Cluster suggestions"),
                                         WorkKind.AGENDA_SCHEDULE: _l("Automatic scheduling"),
                                         WorkKind.REVIEW_ASSIGNMENT: _l("Reviewer assignment")})


class WorkJob(TrackedJob, TimestampMixin, db.Model):
    """Clustering suggestions, the scheduler or the reviewer assignment of one consultation, run on the queue.

    parameters are what the request chose (plain JSON, read by the area's job function); outcome is what the run
    found, as numbers and ids, so that the page words it in the reader's language.
    """

    __tablename__ = "work_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Named, not imported: the ground floor knows of no area's model.
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[WorkKind] = mapped_column(enum_type(WorkKind, "work_kind"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    parameters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    outcome: Mapped[dict | None] = mapped_column(sa.JSON)
