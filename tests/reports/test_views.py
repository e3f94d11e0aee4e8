"""The chair's reports page: builds in the background, progress, download, failures; who may see what."""
import pytest

from consult.db import utcnow
from consult.extensions import db
from consult.reports import outcomes
from consult.reports.models import JobState, ReportJob, ReportKind
from tests import factories

CHAIR_ONLY = ["/reports/", "/reports/export/submissions.csv", "/reports/export/submissions.xlsx",
              "/reports/export/reviews.csv", "/reports/export/reviews.xlsx", "/reports/export/agenda.json",
              "/reports/export/agenda.ics"]


@pytest.mark.parametrize("url", CHAIR_ONLY)
def test_chair_pages_send_anonymous_visitors_to_sign_in(url, dataset, client):
    response = client.get(url)

    assert response.status_code == 302 and "/login" in response.headers["Location"]


# One role per test: the test client shares the fixture's app context, so Flask-Login's user stays cached in g.
@pytest.mark.parametrize("url", CHAIR_ONLY)
@pytest.mark.parametrize("role", ["stakeholder", "reviewer"])
def test_chair_pages_refuse_stakeholders_and_reviewers(url, role, dataset, client, login, request):
    login(request.getfixturevalue(role))

    response = client.get(url)

    assert response.status_code == 403
    assert b"Submitter 0" not in response.data


def test_build_and_job_urls_refuse_non_chairs(dataset, client, login, reviewer):
    job = ReportJob(consultation_id=dataset["consultation"].id, kind=ReportKind.AGENDA, state=JobState.DONE,
                    file_name="x.pdf", page_count=3)
    db.session.add(job)
    db.session.commit()
    login(reviewer)

    assert client.post("/reports/build/both").status_code == 403
    assert client.get(f"/reports/jobs/{job.id}/status.json").status_code == 403
    assert client.get(f"/reports/jobs/{job.id}/download").status_code == 403
    assert db.session.execute(db.select(db.func.count(ReportJob.id))).scalar_one() == 1


def test_chair_builds_both_pdfs_at_once_and_downloads_them(dataset, client, login, chair):
    login(chair)

    response = client.post("/reports/build/both")

    assert response.status_code == 302 and response.headers["Location"].endswith("/reports/")
    jobs = db.session.execute(db.select(ReportJob).order_by(ReportJob.id)).scalars().all()
    assert [(job.kind, job.state, job.progress) for job in jobs] == [
        (ReportKind.AGENDA, JobState.DONE, 100), (ReportKind.OUTCOMES, JobState.DONE, 100)]
    page = client.get("/reports/").get_data(as_text=True)
    assert page.count("Download PDF") == 2
    status = client.get(f"/reports/jobs/{jobs[1].id}/status.json").json
    assert status["state"] == "done" and status["page_count"] == jobs[1].page_count
    with client.get(status["download_url"]) as download:
        assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF-")
        assert "attachment" in download.headers["Content-Disposition"]


def test_crashed_build_shows_failed_with_its_message(dataset, client, login, chair, monkeypatch):
    def crash(data, options):
        raise RuntimeError("font cache unavailable")

    monkeypatch.setattr(outcomes, "render_outcomes_pdf", crash)
    login(chair)

    client.post("/reports/build/outcomes")

    job = db.session.execute(db.select(ReportJob)).scalar_one()
    assert job.state is JobState.FAILED
    assert job.message == "RuntimeError: font cache unavailable"
    page = client.get("/reports/").get_data(as_text=True)
    assert "FAILED" in page and "RuntimeError: font cache unavailable" in page
    assert client.get(f"/reports/jobs/{job.id}/download").status_code == 404


def test_queued_job_shows_progress_and_a_refresh_link(dataset, client, login, chair, report_app):
    job = ReportJob(consultation_id=dataset["consultation"].id, kind=ReportKind.OUTCOMES, state=JobState.RUNNING,
                    progress=40, heartbeat_at=utcnow())
    db.session.add(job)
    db.session.commit()
    login(chair)

    page = client.get("/reports/").get_data(as_text=True)
    status = client.get(f"/reports/jobs/{job.id}/status.json")

    assert 'value="40"' in page and "RUNNING" in page and ">Refresh</a>" in page
    assert "js/job-progress.js" in page
    assert status.json == {"id": job.id, "kind": "outcomes", "state": "running", "state_label": "Running", "progress": 40,
                           "message": "", "page_count": None, "is_stalled": False, "download_url": None}
    assert status.headers["Cache-Control"] == "no-store"


def test_a_second_request_while_building_joins_the_running_job(dataset, client, login, chair):
    running = ReportJob(consultation_id=dataset["consultation"].id, kind=ReportKind.AGENDA, state=JobState.RUNNING,
                        heartbeat_at=utcnow())
    db.session.add(running)
    db.session.commit()
    login(chair)

    client.post("/reports/build/agenda")

    assert db.session.execute(db.select(db.func.count(ReportJob.id))).scalar_one() == 1


def test_unknown_build_kind_is_404(dataset, client, login, chair):
    login(chair)

    assert client.post("/reports/build/everything").status_code == 404


def test_job_of_another_consultation_is_404(dataset, client, login, chair):
    other = factories.make_consultation(title="Earlier cycle", year=2001)
    job = ReportJob(consultation_id=other.id, kind=ReportKind.AGENDA, state=JobState.DONE, file_name="x.pdf")
    db.session.add(job)
    db.session.commit()
    login(chair)

    assert client.get(f"/reports/jobs/{job.id}/status.json").status_code == 404


def test_reports_page_query_count_does_not_grow_with_jobs(report_app, client, login, chair, count_queries):
    consultation = factories.make_consultation()
    login(chair)

    def add_jobs(count):
        db.session.add_all([ReportJob(consultation_id=consultation.id, kind=ReportKind.AGENDA, state=JobState.DONE,
                                      file_name="x.pdf", page_count=2) for _ in range(count)])
        db.session.commit()

    add_jobs(3)
    with count_queries() as few:
        client.get("/reports/")
    add_jobs(27)
    with count_queries() as many:
        response = client.get("/reports/")

    assert response.get_data(as_text=True).count("Download PDF") == 30
    assert few.count == many.count


def test_chair_menu_and_home_link_to_the_reports_page(dataset, client, login, chair):
    login(chair)

    page = client.get("/").get_data(as_text=True)

    assert page.count('href="/reports/"') == 2
