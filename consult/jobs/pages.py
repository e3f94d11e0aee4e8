"""The two routes every area's long work has: its JSON status (polled by the page) and its retry button."""
from collections.abc import Callable

from flask import Blueprint, abort, flash, jsonify, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.extensions import db
from consult.jobs.models import WorkJob, WorkKind
from consult.jobs.work import latest_work, retry_work, work_status


def work_page_context(kind: WorkKind, consultation_id: int, blueprint: str) -> dict:
    """What a page showing the area's long work hands its template: the newest run, its status and its URLs."""
    job = latest_work(consultation_id, kind)
    if job is None:
        return {"work_job": None, "work_status": None, "work_status_url": None, "work_retry_url": None}
    return {"work_job": job, "work_status": work_status(job),
            "work_status_url": url_for(f"{blueprint}.{kind.value}_status", job_id=job.id),
            "work_retry_url": url_for(f"{blueprint}.{kind.value}_retry", job_id=job.id)}


def add_work_routes(bp: Blueprint, *, kind: WorkKind, guard: Callable, consultation_id: Callable[[], int],
                    job_function: str, page_endpoint: str, url_prefix: str) -> None:
    """Register `<kind>_status` (GET, JSON) and `<kind>_retry` (POST) on bp, both behind guard (a permission decorator).

    consultation_id names the consultation of the request (a job of another answers 404); page_endpoint is the
    page that shows the run, where the retry returns.
    """

    def job_or_404(job_id: int) -> WorkJob:
        job = db.get_or_404(WorkJob, job_id)
        if job.kind is not kind or job.consultation_id != consultation_id():
            abort(404)
        return job

    def status(job_id: int):
        response = jsonify(work_status(job_or_404(job_id)))
        response.headers["Cache-Control"] = "no-store"
        return response

    def retry(job_id: int):
        retry_work(job_or_404(job_id), function=job_function, requested_by_id=current_user.id)
        flash(_("The run was queued again; this page shows its progress."), "info")
        return redirect(url_for(page_endpoint))

    status.__doc__ = f"The state and progress of a {kind.value} run, for the page's polling script."
    retry.__doc__ = f"Queue a failed or stalled {kind.value} run again."
    bp.add_url_rule(f"{url_prefix}/<int:job_id>/status.json", f"{kind.value}_status", guard(status))
    bp.add_url_rule(f"{url_prefix}/<int:job_id>/retry", f"{kind.value}_retry", guard(retry), methods=["POST"])
