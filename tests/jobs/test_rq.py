"""Jobs through a real Redis and RQ worker: PDF builds, e-mail delivery, retries of stalled builds, double runs."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from rq import Queue
from rq.registry import FinishedJobRegistry

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.db import utcnow
from consult.extensions import db
from consult.jobs.queue import dispatch, rq_queue
from consult.outbox.models import MessageState, OutboxMessage
from consult.outbox.services import queue_email
from consult.reports.models import JobState, ReportJob, ReportKind
from tests import factories
from tests.services import wait_until

pytestmark = [pytest.mark.queue, pytest.mark.committing]


def _chair_client(app):
    chair = factories.make_user(role=Role.CHAIR, name="Amina Diallo")
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = chair.get_id(), True
    return client


def _job_row(job_id: int) -> ReportJob:
    db.session.expire_all()
    return db.session.get(ReportJob, job_id)


def _finished(job_id: int, timeout: float = 180) -> ReportJob:
    return wait_until(lambda: (row := _job_row(job_id)).state in (JobState.DONE, JobState.FAILED) and row,
                      timeout=timeout, what=f"report job {job_id} to finish in the RQ worker", interval=0.5)


def test_report_build_runs_in_the_worker_and_the_pdf_is_in_the_database(queue_app):
    factories.make_consultation(title="Queued report")
    db.session.commit()
    client = _chair_client(queue_app)
    finished_before = FinishedJobRegistry(queue=rq_queue(queue_app)).count

    response = client.post("/reports/build/outcomes")

    job_id = db.session.execute(sa.select(sa.func.max(ReportJob.id))).scalar_one()
    assert response.status_code == 302
    job = _finished(job_id)
    assert (job.state, job.progress, job.attempts) == (JobState.DONE, 100, 1), job.message
    assert job.document.startswith(b"%PDF-") and job.page_count >= 1
    assert FinishedJobRegistry(queue=rq_queue(queue_app)).count == finished_before + 1
    download = client.get(f"/reports/jobs/{job_id}/download")
    assert download.data == job.document


def test_email_is_delivered_by_the_worker_after_commit(queue_app):
    message = queue_email("grace@example.org", "Delivered by the worker", "Body")
    db.session.commit()

    delivered = wait_until(lambda: (db.session.expire_all() or db.session.get(OutboxMessage, message.id)).state
                           is not MessageState.QUEUED and db.session.get(OutboxMessage, message.id),
                           timeout=60, what="the worker to deliver the e-mail")

    assert (delivered.state, delivered.attempts) == (MessageState.LOGGED, 1)


def test_stalled_build_retried_from_the_page_is_built_by_the_worker(queue_app):
    consultation = factories.make_consultation(title="Stalled report")
    stalled = ReportJob(consultation_id=consultation.id, kind=ReportKind.OUTCOMES, state=JobState.RUNNING, progress=30,
                        attempts=1, heartbeat_at=utcnow() - timedelta(hours=2))
    db.session.add(stalled)
    db.session.commit()
    client = _chair_client(queue_app)

    assert "STALLED" in client.get("/reports/").get_data(as_text=True)
    client.post(f"/reports/jobs/{stalled.id}/retry")

    job = _finished(stalled.id)
    assert (job.state, job.attempts) == (JobState.DONE, 2)


def test_build_enqueued_twice_is_built_once(queue_app):
    consultation = factories.make_consultation(title="Twice enqueued")
    job = ReportJob(consultation_id=consultation.id, kind=ReportKind.OUTCOMES, state=JobState.QUEUED, attempts=1)
    db.session.add(job)
    db.session.commit()

    dispatch(queue_app, "consult.reports.building.build_report", (job.id, 1))
    dispatch(queue_app, "consult.reports.building.build_report", (job.id, 1))

    finished = _finished(job.id)
    wait_until(lambda: Queue(queue_app.config["JOBS_QUEUE"], connection=rq_queue(queue_app).connection).count == 0,
               timeout=60, what="the second run to leave the queue")
    built = db.session.execute(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "report.built", AuditEntry.object_id == job.id)).scalar_one()
    assert finished.state is JobState.DONE
    assert built == 1


def test_cluster_suggestions_of_a_large_consultation_run_in_the_worker(queue_app):
    from consult.clustering.queries import latest_suggestions
    from consult.consultations.models import PhaseKind
    from consult.jobs.models import JobState as WorkState
    from consult.jobs.models import WorkJob, WorkKind
    from tests.clustering.topics import make_topic_proposals

    queue_app.config["CLUSTERING_JOB_THRESHOLD"] = 10  # the 33 topic proposals are "large" here
    drafting = factories.make_consultation(title="Queued suggestions", current=PhaseKind.AGENDA_DRAFTING)
    make_topic_proposals(drafting)
    db.session.commit()
    client = _chair_client(queue_app)

    response = client.post("/clusters/suggest", data={"scope": "submitted", "k": "3"})

    run_id = db.session.execute(sa.select(sa.func.max(WorkJob.id)).where(
        WorkJob.consultation_id == drafting.id, WorkJob.kind == WorkKind.CLUSTER_SUGGESTIONS)).scalar_one()
    run = wait_until(lambda: (db.session.expire_all() or (row := db.session.get(WorkJob, run_id))).state
                     in (WorkState.DONE, WorkState.FAILED) and row, timeout=180, interval=0.5,
                     what="the suggestion run in the RQ worker")
    status = client.get(f"/clusters/suggestions/jobs/{run_id}/status.json").json
    assert response.status_code == 302
    assert (run.state, run.outcome, run.attempts) == (WorkState.DONE, {"suggestions": 3, "proposals": 33}, 1), run.message
    assert (status["state"], status["progress"]) == ("done", 100)
    assert len(latest_suggestions(drafting.id)) == 3
