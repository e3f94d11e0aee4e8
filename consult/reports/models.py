"""Background report builds and their progress (JobState is consult.jobs'); what the chair set for the documents."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import TimestampMixin, enum_type
from consult.extensions import db
from consult.jobs.models import JobState, TrackedJob  # noqa: F401  (JobState: reports' callers import it here)
from consult.reference import LabelledEnum, set_labels


class ReportKind(LabelledEnum):
    """Which document a job builds."""

    AGENDA = "agenda"
    OUTCOMES = "outcomes"
    BRIEF = "brief"


REPORT_KIND_LABELS = set_labels(ReportKind, {ReportKind.AGENDA: _l("Agenda"), ReportKind.OUTCOMES: _l("Outcomes report"),
                                             ReportKind.BRIEF: _l("Executive brief")})


class ReportJob(TrackedJob, TimestampMixin, db.Model):
    """A PDF build running in the background; the chair follows its progress and downloads the result."""

    __tablename__ = "report_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReportKind] = mapped_column(enum_type(ReportKind, "report_kind"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    is_draft_preview: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The download's file name; the PDF itself is kept in the database, so that every host can serve it.
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    document: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    page_count: Mapped[int | None]


class DocumentStatus(LabelledEnum):
    """How far a published document is: a draft carries a DRAFT watermark on every page."""

    DRAFT = "draft"
    FINAL = "final"


class DeclinedInAnnex(LabelledEnum):
    """What the annexes print of submissions that were not taken up (declined or still undecided)."""

    WITHOUT_NAMES = "without_names"
    OMITTED = "omitted"


DOCUMENT_STATUS_LABELS = set_labels(DocumentStatus, {DocumentStatus.DRAFT: _l("Draft"), DocumentStatus.FINAL: _l("Final")})
DECLINED_IN_ANNEX_LABELS = set_labels(DeclinedInAnnex, {DeclinedInAnnex.WITHOUT_NAMES: _l("Listed without names"),
                                                        DeclinedInAnnex.OMITTED: _l("Not listed")})


class ReportSettings(TimestampMixin, db.Model):
    """The chair's choices for the published documents of one consultation: symbol, status, annex privacy."""

    __tablename__ = "report_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), unique=True)
    document_symbol: Mapped[str] = mapped_column(sa.String(80), default="")
    status: Mapped[DocumentStatus] = mapped_column(enum_type(DocumentStatus, "document_status"),
                                                   default=DocumentStatus.DRAFT)
    declined_in_annex: Mapped[DeclinedInAnnex] = mapped_column(enum_type(DeclinedInAnnex, "declined_in_annex"),
                                                               default=DeclinedInAnnex.WITHOUT_NAMES)
    # Accepted and merged submissions always print their organization; the submitter's name only when chosen.
    is_naming_submitters: Mapped[bool] = mapped_column(default=False)
    is_listing_withdrawn: Mapped[bool] = mapped_column(default=False)


class ReportLogo(TimestampMixin, db.Model):
    """An organiser's logo for the cover and page header, kept in the database so every host serves it."""

    __tablename__ = "report_logos"
    __table_args__ = (sa.CheckConstraint("mime_type IN ('image/png', 'image/svg+xml')", name="logo_mime_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    organiser: Mapped[str] = mapped_column(sa.String(120))
    mime_type: Mapped[str] = mapped_column(sa.String(32))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(default=0)
