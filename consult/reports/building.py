"""The PDF build as a queue job: claim the attempt, render with progress, store the document in the database."""
import logging
import time
import traceback

from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.jobs.progress import side_transaction
from consult.reports import services
from consult.reports.models import ReportJob

logger = logging.getLogger("consult.reports")
# The chair's page polls the row; more often than this would only load the database.
PROGRESS_INTERVAL = 0.5


def build_report(job_id: int, attempt: int) -> None:
    """Build attempt `attempt` of a report job (a queue job: run by consult.jobs.runner, which commits once).

    Safe to run twice: only the run that claims the attempt builds, and only the newest attempt's result is kept.
    """
    from consult.reports import outcomes, pdf

    with side_transaction() as session:
        if not services.claim_job(session, job_id, attempt):
            logger.info("report job %s attempt %s: already claimed or superseded, nothing to do", job_id, attempt)
            return
    job = db.session.get(ReportJob, job_id)
    last_write = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last_write[0] < PROGRESS_INTERVAL and done < total:
            return
        last_write[0] = time.monotonic()
        with side_transaction() as session:
            services.update_job_progress(session, job_id, attempt, done=done, total=total)

    try:
        options = pdf.default_options(progress=progress)
        consultation = db.session.execute(
            db.select(Consultation).options(selectinload(Consultation.phases)).where(Consultation.id == job.consultation_id)
        ).scalar_one()
        # The job has no request: the document's language is the one the chair chose, not the site's default.
        with force_locale(job.language):
            document = outcomes.render_report(consultation, job.kind, options, draft_preview=job.is_draft_preview)
        file_name = f"consultation-{consultation.id}-{job.kind.value}-{job.language}-{job.id}.pdf"
        services.mark_job_done(job, attempt, document=document, file_name=file_name,
                               page_count=options.result.page_count, seconds=options.result.seconds)
    except Exception as error:  # any crash must end as FAILED with its message, not as a stuck job
        db.session.rollback()
        logger.error("report job %s failed:\n%s", job_id, traceback.format_exc())
        job = db.session.get(ReportJob, job_id)
        services.mark_job_failed(job, attempt, message=f"{type(error).__name__}: {error}")
