"""Proposals, their tags, speakers and revisions."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.consultations.models import Consultation
from consult.db import TimestampMixin, enum_type
from consult.extensions import db
from consult.reference import UN_LANGUAGES, ForumPart, LabelledEnum, StakeholderType, set_labels

TITLE_MAX = 200
SUMMARY_MAX = 1500
DESCRIPTION_MAX_WORDS = 2000
DESCRIPTION_MAX_CHARS = 20000


class ProposalKind(LabelledEnum):
    """Thematic input, or a proposal about the format (including session requests)."""

    THEMATIC = "thematic"
    FORMAT = "format"


class ProposalStatus(LabelledEnum):
    """The stakeholder's side of the life of a proposal."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Decision(LabelledEnum):
    """The committee's decision on a submitted proposal."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    MERGE = "merge"


PROPOSAL_KIND_LABELS = set_labels(ProposalKind, {ProposalKind.THEMATIC: _l("Thematic"), ProposalKind.FORMAT: _l("Format")})
PROPOSAL_STATUS_LABELS = set_labels(ProposalStatus, {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.SUBMITTED: _l("Submitted"),
    ProposalStatus.WITHDRAWN: _l("Withdrawn"),
})
DECISION_LABELS = set_labels(Decision, {
    Decision.PENDING: _l("Awaiting decision"),
    Decision.ACCEPTED: _l("Accepted"),
    Decision.DECLINED: _l("Declined"),
    Decision.MERGE: _l("To be merged"),
})


class Proposal(TimestampMixin, db.Model):
    """A thematic or format proposal filed by a stakeholder or imported by the chair."""

    __tablename__ = "proposals"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "number"),
        sa.CheckConstraint("duration_minutes IS NULL OR duration_minutes BETWEEN 15 AND 240", name="duration_range"),
        sa.CheckConstraint("expected_audience IS NULL OR expected_audience >= 0", name="audience_not_negative"),
        # The lists and their counts filter and group by these columns: read from this index alone, without the
        # wide rows (a description is ~150 words), a count over 50,000 proposals takes a tenth of the time.
        sa.Index("ix_proposals_listing", "consultation_id", "status", "kind", "stakeholder_type", "region", "language",
                 "number"),
        # "My proposals": a stakeholder's few rows, newest first, without scanning the consultation.
        sa.Index("ix_proposals_submitter_consultation_created", "submitter_id", "consultation_id", "created_at"),
        # The public list's language filter and its counts per language.
        sa.Index("ix_proposals_language", "consultation_id", "status", "language"),
        # The "to classify" count in every chair page's navigation: without it, SQLite scans the consultation.
        sa.Index("ix_proposals_to_classify", "consultation_id", "status", "is_to_classify"),
        sa.CheckConstraint("language IN (" + ", ".join(f"'{code}'" for code in UN_LANGUAGES) + ")",
                           name="language_un"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    # Public reference within the consultation, given at first submission (or import).
    number: Mapped[int | None]
    submitter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ProposalKind] = mapped_column(enum_type(ProposalKind, "proposal_kind"))
    status: Mapped[ProposalStatus] = mapped_column(enum_type(ProposalStatus, "proposal_status"), default=ProposalStatus.DRAFT)
    forum_part: Mapped[ForumPart] = mapped_column(enum_type(ForumPart, "forum_part"), default=ForumPart.THEMES_AND_STRUCTURE)

    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    keywords: Mapped[str] = mapped_column(sa.String(500), default="")
    # One of the six UN languages, as the submitter confirmed it (detected from the text until they choose).
    language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")

    # Format proposals only.
    format_code: Mapped[str | None] = mapped_column(sa.String(64))
    format_other: Mapped[str] = mapped_column(sa.String(200), default="")
    is_binding_request: Mapped[bool] = mapped_column(default=False)
    duration_minutes: Mapped[int | None]
    expected_audience: Mapped[int | None]
    has_remote_participation: Mapped[bool] = mapped_column(default=False)

    # Who submitted it, as it was at submission: a later profile change does not rewrite history.
    submitter_name: Mapped[str] = mapped_column(sa.String(120), default="")
    submitter_email: Mapped[str] = mapped_column(sa.String(254), default="")
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    stakeholder_type: Mapped[StakeholderType | None] = mapped_column(enum_type(StakeholderType, "stakeholder_type"))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    region: Mapped[str | None] = mapped_column(sa.String(32), index=True)

    # Provenance: "online" for the web form, else where it was received (regional event, meeting, e-mail).
    source: Mapped[str] = mapped_column(sa.String(200), default="online")
    import_batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batches.id", ondelete="SET NULL"))
    # Idempotency key of the form that created it: a repeated POST finds the proposal instead of creating another.
    creation_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdraw_reason: Mapped[str] = mapped_column(sa.Text, default="")

    decision: Mapped[Decision] = mapped_column(enum_type(Decision, "decision"), default=Decision.PENDING, index=True)
    decision_reason_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision_reasons.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # What the submitter has been told. The committee's decisions are held until the chair releases them in one
    # batch (consult/review/announcements.py): until then the submitter's pages and exports show these, not the above.
    announced_decision: Mapped[Decision] = mapped_column(enum_type(Decision, "announced_decision"),
                                                         default=Decision.PENDING, server_default="pending")
    announced_reason_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decision_reasons.id", ondelete="SET NULL"))
    announced_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    announced_at: Mapped[datetime | None]

    # Imported without an action line: the committee confirms or changes the suggested labels from a queue.
    # Until then the proposal has no action lines of its own; suggested_labels holds the text model's guesses,
    # {"action_lines": [[code, score], ...], "sdgs": [[number, score], ...]}, best first.
    is_to_classify: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    suggested_labels: Mapped[dict | None] = mapped_column(sa.JSON)

    version_id: Mapped[int] = mapped_column(default=1)

    consultation: Mapped[Consultation] = relationship()
    submitter: Mapped[User | None] = relationship(foreign_keys=[submitter_id])
    action_lines: Mapped[list["ProposalActionLine"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalActionLine.code"
    )
    sdgs: Mapped[list["ProposalSdg"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalSdg.sdg"
    )
    speakers: Mapped[list["Speaker"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="Speaker.position"
    )
    revisions: Mapped[list["ProposalRevision"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalRevision.number"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def action_line_codes(self) -> list[str]:
        return [tag.code for tag in self.action_lines]

    @property
    def sdg_numbers(self) -> list[int]:
        return [tag.sdg for tag in self.sdgs]

    @property
    def reference(self) -> str:
        """Public reference such as 'P-0042', or 'Draft' before submission."""
        return f"P-{self.number:04d}" if self.number else str(_l("Draft"))

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.kind.value} {self.status.value}>"


class ProposalActionLine(db.Model):
    """A WSIS action line (or C7 sub-line) a proposal concerns."""

    __tablename__ = "proposal_action_lines"

    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), primary_key=True, index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="action_lines")


class ProposalSdg(db.Model):
    """A Sustainable Development Goal a proposal serves."""

    __tablename__ = "proposal_sdgs"
    __table_args__ = (sa.CheckConstraint("sdg BETWEEN 1 AND 17", name="sdg_range"),)

    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    sdg: Mapped[int] = mapped_column(primary_key=True, index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="sdgs")


class ProposalTally(db.Model):
    """How many proposals of a consultation, in one status, have one value of a dimension (kind, region, SDG...).

    Written only by the database's triggers (consult/proposals/tallies.py), never by the application.
    """

    __tablename__ = "proposal_tallies"
    # Derived: a backup leaves it out, and the triggers count the restored rows again.
    __table_args__ = {"info": {"derived": True}}

    # No foreign key: derived rows that the triggers write while a consultation's proposals are being deleted.
    consultation_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    dimension: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class SpeakerAnswer(LabelledEnum):
    """What a speaker answered to the invitation sent through a signed link."""

    NOT_INVITED = "not_invited"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


SPEAKER_ANSWER_LABELS = set_labels(SpeakerAnswer, {
    SpeakerAnswer.NOT_INVITED: _l("Not asked (no e-mail address)"),
    SpeakerAnswer.PENDING: _l("Asked, no answer yet"),
    SpeakerAnswer.CONFIRMED: _l("Confirmed by the speaker"),
    SpeakerAnswer.DECLINED: _l("Declined by the speaker"),
})


class Speaker(db.Model):
    """A proposed speaker of a format proposal."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    stakeholder_type: Mapped[StakeholderType | None] = mapped_column(enum_type(StakeholderType, "stakeholder_type"))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    gender: Mapped[str] = mapped_column(sa.String(32), default="")
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    is_remote: Mapped[bool] = mapped_column(default=False)
    # The speaker's own answer, given without an account through the signed link e-mailed to this address.
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    answer: Mapped[SpeakerAnswer] = mapped_column(enum_type(SpeakerAnswer, "speaker_answer"), default=SpeakerAnswer.NOT_INVITED)
    invited_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]

    proposal: Mapped[Proposal] = relationship(back_populates="speakers")


class ProposalRevision(db.Model):
    """A snapshot of a proposal's content after each submission or edit, for the chair."""

    __tablename__ = "proposal_revisions"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    data: Mapped[dict] = mapped_column(sa.JSON)

    proposal: Mapped[Proposal] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class ImportPreview(TimestampMixin, db.Model):
    """A checked import file waiting for the chair's confirmation, in the database so that any host can confirm it.

    `consumed_at` is set by the one confirmation that imports it; a second confirmation finds it set.
    """

    __tablename__ = "import_previews"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    source: Mapped[str] = mapped_column(sa.String(200))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    consumed_at: Mapped[datetime | None]
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batches.id", ondelete="SET NULL"))


class ImportBatch(TimestampMixin, db.Model):
    """A file of submissions received elsewhere and imported by the chair."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    row_count: Mapped[int] = mapped_column(default=0)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class ProposalNumberCounter(db.Model):
    """The last public number given in a consultation.

    Every submission and import raises it in its own transaction (an UPDATE, which locks the row until the
    commit), so two submissions at the deadline never compute the same "highest + 1".
    """

    __tablename__ = "proposal_number_counters"

    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
