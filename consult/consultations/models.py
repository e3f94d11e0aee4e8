"""A consultation cycle and its ordered phases."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import TimestampMixin, enum_type
from consult.extensions import db
from consult.reference import LabelledEnum, in_reader_language, set_labels


class PhaseKind(LabelledEnum):
    """The phases of an open consultation, in order."""

    CALL_OPEN = "call_open"
    REVIEW = "review"
    AGENDA_DRAFTING = "agenda_drafting"
    PUBLIC_COMMENT = "public_comment"
    FINAL = "final"


PHASE_LABELS = set_labels(PhaseKind, {
    PhaseKind.CALL_OPEN: _l("Call for proposals open"),
    PhaseKind.REVIEW: _l("Review"),
    PhaseKind.AGENDA_DRAFTING: _l("Agenda drafting"),
    PhaseKind.PUBLIC_COMMENT: _l("Public comment on the draft agenda"),
    PhaseKind.FINAL: _l("Final agenda and brief"),
})


class ReviewVisibility(LabelledEnum):
    """When a reviewer may read the other reviewers' reviews of a proposal."""

    NEVER = "never"
    AFTER_OWN = "after_own"
    ALWAYS = "always"


REVIEW_VISIBILITY_LABELS = set_labels(ReviewVisibility, {
    ReviewVisibility.NEVER: _l("Never"),
    ReviewVisibility.AFTER_OWN: _l("After submitting their own review"),
    ReviewVisibility.ALWAYS: _l("Always"),
})


class Consultation(TimestampMixin, db.Model):
    """One yearly cycle of the open consultation, ending in a Forum week."""

    __tablename__ = "consultations"
    __table_args__ = (
        sa.CheckConstraint("forum_end >= forum_start", name="forum_dates_ordered"),
        sa.CheckConstraint("reviewers_per_proposal BETWEEN 1 AND 10", name="reviewers_per_proposal_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    theme: Mapped[str] = mapped_column(sa.String(300), default="")
    year: Mapped[int] = mapped_column(index=True)
    forum_start: Mapped[date]
    forum_end: Mapped[date]
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Zurich")
    submissions_published: Mapped[bool] = mapped_column(default=False)
    # New consultations start blind: who submitted stays hidden from reviewers until the chair decides otherwise.
    is_blind_review: Mapped[bool] = mapped_column(default=True)
    review_visibility: Mapped[ReviewVisibility] = mapped_column(
        enum_type(ReviewVisibility, "review_visibility"), default=ReviewVisibility.AFTER_OWN
    )
    reviewers_per_proposal: Mapped[int] = mapped_column(default=3)
    # The reviewers' comments meant for submitters are shown to them only once the chair releases them.
    is_feedback_released: Mapped[bool] = mapped_column(default=False)
    version_id: Mapped[int] = mapped_column(default=1)

    phases: Mapped[list["Phase"]] = relationship(
        back_populates="consultation", order_by="Phase.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    def phase(self, kind: PhaseKind) -> "Phase | None":
        """The phase of this kind, if the consultation has one."""
        return next((phase for phase in self.phases if phase.kind is kind), None)

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.year}>"


class Phase(TimestampMixin, db.Model):
    """A phase of a consultation, open from opens_at (inclusive) to closes_at (exclusive), in UTC."""

    __tablename__ = "phases"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "kind"),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PhaseKind] = mapped_column(enum_type(PhaseKind, "phase_kind"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    # The close time first announced, kept so that everyone can see a deadline was extended or brought forward.
    original_closes_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)

    consultation: Mapped[Consultation] = relationship(back_populates="phases")

    __mapper_args__ = {"version_id_col": version_id}

    def is_open_at(self, moment: datetime) -> bool:
        """Whether moment falls inside this phase."""
        return self.opens_at <= moment < self.closes_at

    @property
    def was_extended(self) -> bool:
        """Whether the phase now closes later than first announced (only then is its deadline "extended")."""
        return self.original_closes_at is not None and self.closes_at > self.original_closes_at

    @property
    def was_brought_forward(self) -> bool:
        """Whether the phase now closes earlier than first announced."""
        return self.original_closes_at is not None and self.closes_at < self.original_closes_at

    @property
    def label(self) -> str:
        return in_reader_language(self.name) or str(PHASE_LABELS[self.kind])
