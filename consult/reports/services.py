"""Writes of the reports area: report jobs, the chair's report settings and the organisers' logos (its own tables)."""
import sqlalchemy as sa
from flask_babel import gettext as _

from consult.audit.services import record_audit
from consult.consultations.models import Consultation
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.reports.logos import checked_logo, logo_digest
from consult.reports.models import (
    DeclinedInAnnex, DocumentStatus, JobState, ReportJob, ReportKind, ReportLogo, ReportSettings,
)

# A chair asking again while a build of the same kind is under way gets that build, not a second one.
ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


def request_report_build(consultation: Consultation, *, kind: ReportKind, requested_by, draft_preview: bool = False) -> ReportJob:
    """Queue a PDF build (or return the one of that kind already queued or running)."""
    if kind is not ReportKind.AGENDA and draft_preview:
        raise DomainError(_("Only the agenda has a draft preview."), field="kind")
    running = db.session.execute(
        db.select(ReportJob).where(ReportJob.consultation_id == consultation.id, ReportJob.kind == kind,
                                   ReportJob.state.in_(ACTIVE_STATES))
        .order_by(ReportJob.id.desc()).limit(1)
    ).scalar_one_or_none()
    if running is not None:
        return running
    job = ReportJob(consultation_id=consultation.id, kind=kind, state=JobState.QUEUED, progress=0,
                    requested_by_id=requested_by.id if requested_by else None,
                    message=_("Draft preview of the working sessions") if draft_preview else "")
    db.session.add(job)
    db.session.flush()
    record_audit("report.requested", job, actor=requested_by, summary=f"{kind.value} PDF build requested",
                 details={"draft_preview": draft_preview})
    return job


def claim_job(job_id: int) -> bool:
    """Move a queued job to running in one statement, so that two runners never build the same job."""
    result = db.session.execute(
        sa.update(ReportJob).where(ReportJob.id == job_id, ReportJob.state == JobState.QUEUED)
        .values(state=JobState.RUNNING, progress=0, updated_at=utcnow())
    )
    return result.rowcount == 1


def update_job_progress(job: ReportJob, *, done: int, total: int) -> None:
    """Record progress as a percentage (never 100 before the file exists)."""
    job.progress = min(99, int(100 * done / total)) if total else 0
    db.session.flush()


def mark_job_done(job: ReportJob, *, file_name: str, page_count: int, seconds: float) -> None:
    """The PDF is written: record where, and how long it is."""
    job.state = JobState.DONE
    job.progress = 100
    job.file_name = file_name
    job.page_count = page_count
    job.finished_at = utcnow()
    job.message = (job.message + " · " if job.message else "") + _("%(pages)d pages in %(seconds).1f s", pages=page_count, seconds=seconds)
    db.session.flush()
    record_audit("report.built", job, summary=f"{job.kind.value} PDF built: {page_count} pages")


def mark_job_failed(job: ReportJob, *, message: str) -> None:
    """The build crashed: keep the reason for the chair."""
    job.state = JobState.FAILED
    job.message = message[:2000]
    job.finished_at = utcnow()
    db.session.flush()
    record_audit("report.failed", job, summary=f"{job.kind.value} PDF build failed")


def save_report_settings(consultation: Consultation, *, actor, document_symbol: str, status: str,
                         declined_in_annex: str, is_naming_submitters: bool, is_listing_withdrawn: bool) -> ReportSettings:
    """Store the chair's choices for the published documents (created on first save)."""
    settings = db.session.execute(
        db.select(ReportSettings).where(ReportSettings.consultation_id == consultation.id)
    ).scalar_one_or_none()
    if settings is None:
        settings = ReportSettings(consultation_id=consultation.id)
        db.session.add(settings)
    try:
        settings.status = DocumentStatus(status)
        settings.declined_in_annex = DeclinedInAnnex(declined_in_annex)
    except ValueError as error:
        raise DomainError(_("Choose one of the options offered."), field="status") from error
    settings.document_symbol = (document_symbol or "").strip()
    settings.is_naming_submitters = bool(is_naming_submitters)
    settings.is_listing_withdrawn = bool(is_listing_withdrawn)
    db.session.flush()
    record_audit("report.settings", settings, actor=actor, summary="report settings saved",
                 details={"status": settings.status.value, "declined_in_annex": settings.declined_in_annex.value})
    return settings


def add_report_logo(consultation: Consultation, *, actor, organiser: str, data: bytes, filename: str) -> ReportLogo:
    """Validate and store an organiser's logo after the others."""
    mime_type, checked = checked_logo(data, filename)
    organiser = (organiser or "").strip()
    if not organiser:
        raise DomainError(_("Name the organiser whose logo this is."), field="organiser")
    position = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.max(ReportLogo.position), -1)).where(ReportLogo.consultation_id == consultation.id)
    ).scalar_one() + 1
    logo = ReportLogo(consultation_id=consultation.id, organiser=organiser, mime_type=mime_type, data=checked,
                      sha256=logo_digest(checked), position=position)
    db.session.add(logo)
    db.session.flush()
    record_audit("report.logo_added", logo, actor=actor, summary=f"logo of {organiser} added")
    return logo


def remove_report_logo(logo: ReportLogo, *, actor) -> None:
    """Delete an organiser's logo."""
    record_audit("report.logo_removed", logo, actor=actor, summary=f"logo of {logo.organiser} removed")
    db.session.delete(logo)
    db.session.flush()
