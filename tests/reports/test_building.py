"""PDF builds as queue jobs: a stalled build (dead worker) is shown and retried, and a job run twice does no harm."""
from datetime import timedelta

from consult.db import utcnow
from consult.extensions import db
from consult.reports import building, pdf
from consult.reports.models import JobState, ReportJob, ReportKind


def _job(consultation, **values) -> ReportJob:
    job = ReportJob(consultation_id=consultation.id, kind=ReportKind.OUTCOMES, **values)
    db.session.add(job)
    db.session.commit()
    return job


def test_running_job_silent_past_stale_timeout_is_shown_stalled_with_retry(dataset, client, login, chair):
    silent_since = utcnow() - timedelta(seconds=301)
    job = _job(dataset["consultation"], state=JobState.RUNNING, progress=40, attempts=1, heartbeat_at=silent_since)
    login(chair)

    page = client.get("/reports/").get_data(as_text=True)
    status = client.get(f"/reports/jobs/{job.id}/status.json").json

    assert "STALLED" in page and "No sign of life from the worker building it" in page
    assert f'action="/reports/jobs/{job.id}/retry"' in page
    assert status["is_stalled"] is True


def test_running_job_with_recent_heartbeat_is_not_stalled(dataset, client, login, chair):
    job = _job(dataset["consultation"], state=JobState.RUNNING, progress=40, attempts=1,
               heartbeat_at=utcnow() - timedelta(seconds=30))
    login(chair)

    page = client.get("/reports/").get_data(as_text=True)

    assert "STALLED" not in page and f"/reports/jobs/{job.id}/retry" not in page


def test_retry_of_stalled_job_builds_it_as_next_attempt(dataset, client, login, chair):
    job = _job(dataset["consultation"], state=JobState.RUNNING, progress=40, attempts=1,
               heartbeat_at=utcnow() - timedelta(hours=1))
    login(chair)

    response = client.post(f"/reports/jobs/{job.id}/retry")

    db.session.expire_all()
    stored = db.session.get(ReportJob, job.id)
    assert response.status_code == 302
    assert (stored.state, stored.attempts, stored.progress) == (JobState.DONE, 2, 100)
    assert stored.document.startswith(b"%PDF-")


def test_retry_of_running_job_is_refused(dataset, client, login, chair):
    job = _job(dataset["consultation"], state=JobState.RUNNING, progress=40, attempts=1, heartbeat_at=utcnow())
    login(chair)

    response = client.post(f"/reports/jobs/{job.id}/retry")

    assert response.status_code == 422
    assert "Only a failed or stalled build can be retried." in response.get_data(as_text=True)
    assert db.session.get(ReportJob, job.id).attempts == 1


def test_stalled_build_no_longer_blocks_a_new_build(dataset, client, login, chair):
    stalled = _job(dataset["consultation"], state=JobState.RUNNING, progress=40, attempts=1,
                   heartbeat_at=utcnow() - timedelta(hours=1))
    login(chair)

    client.post("/reports/build/outcomes")

    jobs = db.session.execute(db.select(ReportJob).order_by(ReportJob.id)).scalars().all()
    assert [(job.id, job.state) for job in jobs] == [(stalled.id, JobState.RUNNING), (jobs[1].id, JobState.DONE)]


def test_build_job_run_twice_builds_once(dataset, monkeypatch):
    job = _job(dataset["consultation"], state=JobState.QUEUED, attempts=1)
    renders = []
    real_render = pdf.render_outcomes_pdf
    monkeypatch.setattr(pdf, "render_outcomes_pdf", lambda data, options: renders.append(1) or real_render(data, options))

    building.build_report(job.id, 1)
    db.session.commit()
    building.build_report(job.id, 1)
    db.session.commit()

    db.session.expire_all()
    assert renders == [1]
    assert db.session.get(ReportJob, job.id).state is JobState.DONE


def test_late_result_of_superseded_attempt_is_discarded(dataset):
    job = _job(dataset["consultation"], state=JobState.QUEUED, attempts=1)
    building.build_report(job.id, 1)
    db.session.commit()
    stale_run = db.session.get(ReportJob, job.id)
    db.session.execute(db.update(ReportJob).where(ReportJob.id == job.id)
                       .values(state=JobState.RUNNING, attempts=2, document=None, page_count=None))
    db.session.commit()

    from consult.reports import services

    kept = services.mark_job_done(stale_run, 1, document=b"%PDF-old", file_name="old.pdf", page_count=1, seconds=0.1)
    db.session.commit()

    db.session.expire_all()
    assert kept is False
    assert (db.session.get(ReportJob, job.id).state, db.session.get(ReportJob, job.id).document) == (JobState.RUNNING, None)
