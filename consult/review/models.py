"""Criteria, assignments, conflicts, reviews and scores, and decision reasons."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.db import TimestampMixin, enum_type
from consult.extensions import db
from consult.proposals.models import Proposal


class Criterion(TimestampMixin, db.Model):
    """A weighted criterion proposals are scored against."""

    __tablename__ = "criteria"
    __table_args__ = (
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint("scale_max > scale_min", name="scale_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    is_required: Mapped[bool] = mapped_column(default=True)
    # A retired criterion keeps the scores already given but is no longer asked.
    is_active: Mapped[bool] = mapped_column(default=True)


class AssignmentState(enum.Enum):
    """Where a reviewer's assignment to a proposal stands."""

    ASSIGNED = "assigned"
    DECLINED = "declined"


class ReviewAssignment(TimestampMixin, db.Model):
    """A reviewer assigned to a proposal."""

    __tablename__ = "review_assignments"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[AssignmentState] = mapped_column(
        enum_type(AssignmentState, "assignment_state"), default=AssignmentState.ASSIGNED
    )
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    is_automatic: Mapped[bool] = mapped_column(default=False)

    proposal: Mapped[Proposal] = relationship()
    reviewer: Mapped[User] = relationship()


class Conflict(TimestampMixin, db.Model):
    """A reviewer's declared conflict of interest with a proposal."""

    __tablename__ = "conflicts"
    __table_args__ = (sa.UniqueConstraint("reviewer_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    reviewer: Mapped[User] = relationship()
    proposal: Mapped[Proposal] = relationship()


class ReviewState(enum.Enum):
    """A review is a draft until its reviewer submits it."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Recommendation(enum.Enum):
    """The reviewer's recommendation."""

    ACCEPT = "accept"
    MERGE = "merge"
    DECLINE = "decline"


RECOMMENDATION_LABELS = {
    Recommendation.ACCEPT: _l("Accept"),
    Recommendation.MERGE: _l("Merge with another proposal"),
    Recommendation.DECLINE: _l("Decline"),
}


class Review(TimestampMixin, db.Model):
    """One reviewer's review of one proposal; the database allows only one."""

    __tablename__ = "reviews"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[ReviewState] = mapped_column(enum_type(ReviewState, "review_state"), default=ReviewState.DRAFT)
    recommendation: Mapped[Recommendation | None] = mapped_column(enum_type(Recommendation, "recommendation"))
    merge_with_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id", ondelete="SET NULL"))
    comment_to_committee: Mapped[str] = mapped_column(sa.Text, default="")
    comment_to_submitter: Mapped[str] = mapped_column(sa.Text, default="")
    # Weighted mean of the scores on the active criteria: derived, recomputed by one service.
    total_score: Mapped[float | None]
    submitted_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)

    proposal: Mapped[Proposal] = relationship(foreign_keys=[proposal_id])
    reviewer: Mapped[User] = relationship()
    scores: Mapped[list["Score"]] = relationship(back_populates="review", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}


class Score(db.Model):
    """A review's score on one criterion."""

    __tablename__ = "scores"

    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[int]

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class DecisionReason(db.Model):
    """A configurable reason code for declining a proposal (out of scope, duplicate, ...)."""

    __tablename__ = "decision_reasons"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    label: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
