"""Writes of the reports area: report jobs (the only table it owns)."""
import sqlalchemy as sa
from flask_babel import gettext as _

from consult.audit.services import record_audit
from consult.consultations.models import Consultation
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.reports.models import JobState, ReportJob, ReportKind

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
