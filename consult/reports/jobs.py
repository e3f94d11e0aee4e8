"""Running report builds outside the web request: a thread by default, RQ when several web workers run.

REPORT_BACKGROUND selects the runner: "thread" (default: a daemon thread of the web process, with its own app
context and database session), "inline" (tests: run before the request returns) or "rq" (enqueue on the RQ
queue at REDIS_URL; an `rq worker consult-reports` process runs `run_report_job_standalone`).
"""
import logging
import threading
import time
import traceback
from pathlib import Path

from flask import Flask, current_app

from consult.extensions import db
from consult.reports.models import ReportJob

logger = logging.getLogger("consult.reports")


def reports_dir(app: Flask) -> Path:
    """Where finished PDFs are kept: the instance folder's reports/ directory."""
    path = Path(app.instance_path) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_report_job(job_id: int, *, draft_preview: bool = False) -> None:
    """Hand a committed job to the configured runner."""
    app = current_app._get_current_object()
    mode = app.config.get("REPORT_BACKGROUND", "thread")
    if mode == "inline":
        run_report_job(app, job_id, draft_preview=draft_preview)
    elif mode == "rq":
        from redis import Redis
        from rq import Queue

        queue = Queue("consult-reports", connection=Redis.from_url(app.config["REDIS_URL"]))
        queue.enqueue("consult.reports.jobs.run_report_job_standalone", job_id, draft_preview, job_timeout=1800)
    else:
        thread = threading.Thread(target=run_report_job, args=(app, job_id), kwargs={"draft_preview": draft_preview},
                                  name=f"report-job-{job_id}", daemon=True)
        thread.start()


def run_report_job_standalone(job_id: int, draft_preview: bool = False) -> None:
    """Entry point for an RQ worker: build the app from the environment and run the job."""
    from consult import create_app

    run_report_job(create_app(), job_id, draft_preview=draft_preview)


def run_report_job(app: Flask, job_id: int, *, draft_preview: bool = False) -> None:
    """Build one report in its own app context and session; commits progress as it goes."""
    from consult.reports import outcomes, pdf, services

    with app.app_context():
        claimed = services.claim_job(job_id)
        db.session.commit()
        if not claimed:
            return
        job = db.session.get(ReportJob, job_id)
        last_commit = [0.0]

        def progress(done: int, total: int) -> None:
            # One short commit at most every half second: the chair's page polls this row.
            if time.monotonic() - last_commit[0] < 0.5 and done < total:
                return
            last_commit[0] = time.monotonic()
            services.update_job_progress(job, done=done, total=total)
            db.session.commit()

        try:
            options = pdf.default_options(progress=progress)
            consultation = job_consultation(job)
            document = outcomes.render_report(consultation, job.kind, options, draft_preview=draft_preview)
            file_name = f"consultation-{consultation.id}-{job.kind.value}-{job.id}.pdf"
            target = reports_dir(app) / file_name
            temporary = target.with_suffix(".part")
            temporary.write_bytes(document)
            temporary.replace(target)
            services.mark_job_done(job, file_name=file_name, page_count=options.result.page_count,
                                   seconds=options.result.seconds)
            db.session.commit()
        except Exception as error:  # any crash must end as FAILED with its message, not a stuck job
            db.session.rollback()
            logger.error("report job %s failed:\n%s", job_id, traceback.format_exc())
            job = db.session.get(ReportJob, job_id)
            services.mark_job_failed(job, message=f"{type(error).__name__}: {error}")
            db.session.commit()
        finally:
            db.session.remove()


def job_consultation(job: ReportJob):
    """The consultation a job reports on."""
    from consult.consultations.models import Consultation
    from sqlalchemy.orm import selectinload

    return db.session.execute(
        db.select(Consultation).options(selectinload(Consultation.phases)).where(Consultation.id == job.consultation_id)
    ).scalar_one()
