"""Writes of the reports area: report jobs, the chair's report settings and the organisers' logos (its own tables)."""
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.audit.services import record_audit
from consult.consultations.models import Consultation
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import supported_codes
from consult.jobs import enqueue, tracking
from consult.reports.logos import checked_logo, logo_digest
from consult.reports.models import (
    DeclinedInAnnex,
    DocumentStatus,
    JobState,
    ReportJob,
    ReportKind,
    ReportLogo,
    ReportSettings,
)

BUILD_JOB = "consult.reports.building.build_report"
# Kept under their reports names: the views and the build call them so.
ACTIVE_STATES = tracking.ACTIVE_STATES
is_stalled = tracking.is_stalled


def request_report_build(consultation: Consultation, *, kind: ReportKind, requested_by, draft_preview: bool = False,
                         language: str = "en") -> ReportJob:
    """Queue a PDF build in a language (or return the same build already queued or running); it starts after the commit."""
    if kind is not ReportKind.AGENDA and draft_preview:
        raise DomainError(_("Only the agenda has a draft preview."), field="kind")
    if language not in supported_codes():
        raise DomainError(_("Choose one of the languages offered."), field="language")
    running = db.session.execute(
        db.select(ReportJob).where(ReportJob.consultation_id == consultation.id, ReportJob.kind == kind,
                                   ReportJob.is_draft_preview == draft_preview, ReportJob.language == language,
                                   ReportJob.state.in_(ACTIVE_STATES))
        .order_by(ReportJob.id.desc()).limit(1)
    ).scalar_one_or_none()
    if running is not None and not is_stalled(running):
        return running
    job = ReportJob(consultation_id=consultation.id, kind=kind, state=JobState.QUEUED, progress=0,
                    requested_by_id=requested_by.id if requested_by else None, is_draft_preview=draft_preview,
                    language=language, attempts=1, message=_("Draft preview of the working sessions") if draft_preview else "")
    db.session.add(job)
    db.session.flush()
    record_audit("report.requested", job, actor=requested_by, summary=f"{kind.value} PDF build requested",
                 details={"draft_preview": draft_preview, "language": language})
    enqueue(BUILD_JOB, job.id, job.attempts)
    return job


def retry_report_build(job: ReportJob, *, actor) -> ReportJob:
    """Queue a failed or stalled build again, as its next attempt (a late answer of the old run is ignored)."""
    if not tracking.is_retryable(job):
        raise DomainError(_("Only a failed or stalled build can be retried."))
    attempt = tracking.requeue(job)
    job.message = _("Draft preview of the working sessions") if job.is_draft_preview else ""
    db.session.flush()
    record_audit("report.retried", job, actor=actor, summary=f"{job.kind.value} PDF build retried (attempt {attempt})")
    enqueue(BUILD_JOB, job.id, attempt)
    return job


def claim_job(session, job_id: int, attempt: int) -> bool:
    """Move a queued build to running, so that two runs of one attempt never both build it."""
    return tracking.claim(session, ReportJob, job_id, attempt)


def update_job_progress(session, job_id: int, attempt: int, *, done: int, total: int) -> None:
    """Record progress as a percentage (never 100 before the file exists) and a heartbeat."""
    tracking.record_progress(session, ReportJob, job_id, attempt, percent=tracking.percent_of(done, total))


def mark_job_done(job: ReportJob, attempt: int, *, document: bytes, file_name: str, page_count: int, seconds: float) -> bool:
    """Store the PDF, unless a newer attempt took the job over meanwhile; whether this run's result was kept."""
    message = (job.message + " · " if job.message else "") + ngettext(
        "%(num)d page in %(seconds).1f s", "%(num)d pages in %(seconds).1f s", page_count, seconds=seconds
    )
    if not tracking.finish(job, attempt, document=document, file_name=file_name, page_count=page_count, message=message):
        return False
    record_audit("report.built", job, summary=f"{job.kind.value} PDF built: {page_count} pages")
    return True


def mark_job_failed(job: ReportJob, attempt: int, *, message: str) -> None:
    """The build crashed: keep the reason for the chair (unless a newer attempt owns the job)."""
    if tracking.fail(job, attempt, message=message):
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
