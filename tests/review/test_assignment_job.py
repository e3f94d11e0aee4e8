"""The automatic assignment at scale runs as a queue job (inline here): its page shows the outcome; a rerun adds nothing."""
import sqlalchemy as sa

from consult.extensions import db
from consult.jobs.models import JobState, WorkJob, WorkKind
from consult.review.models import ReviewAssignment


def _runs() -> list[WorkJob]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(WorkJob).where(WorkJob.kind == WorkKind.REVIEW_ASSIGNMENT)
                                   .order_by(WorkJob.id)).scalars())


def _assignments() -> int:
    return db.session.execute(sa.select(sa.func.count(ReviewAssignment.id))).scalar_one()


def test_small_consultation_is_assigned_in_the_request(app, client, as_user, review_setup):
    as_user(review_setup["chair"])

    page = client.post("/review/assignments/auto", data={}, follow_redirects=True).get_data(as_text=True)

    assert "9 assignments made." in page
    assert (_assignments(), _runs()) == (9, [])


def test_large_consultation_is_assigned_in_a_job_and_a_rerun_adds_nothing(app, client, as_user, review_setup):
    app.config["ASSIGNMENT_JOB_THRESHOLD"] = 2  # three submitted proposals are "large" here
    as_user(review_setup["chair"])

    response = client.post("/review/assignments/auto", data={})
    after_first = _assignments()
    page = client.get("/review/assignments").get_data(as_text=True)
    client.post("/review/assignments/auto", data={})

    runs = _runs()
    assert response.location.endswith("/review/assignments")
    assert [(run.state, run.outcome) for run in runs] == [
        (JobState.DONE, {"assigned": 9, "short_count": 0, "short": []}),
        (JobState.DONE, {"assigned": 0, "short_count": 0, "short": []})]
    assert (after_first, _assignments()) == (9, 9)
    assert "Assignment run in the background" in page and "9 assignments made." in page
    assert f'data-status-url="/review/assignments/jobs/{runs[0].id}/status.json"' in page


def test_proposals_left_short_are_listed_on_the_page(app, client, as_user, review_setup):
    app.config["ASSIGNMENT_JOB_THRESHOLD"] = 0
    review_setup["consultation"].reviewers_per_proposal = 4  # three reviewers cannot make panels of four
    db.session.commit()
    as_user(review_setup["chair"])

    client.post("/review/assignments/auto", data={})
    page = client.get("/review/assignments").get_data(as_text=True)

    [run] = _runs()
    numbers = sorted(proposal.number for proposal in review_setup["proposals"])
    assert (run.outcome["assigned"], run.outcome["short_count"]) == (9, 3)
    assert "3 proposals could not get enough reviewers." in page
    assert f"P-{numbers[0]:04d} could not get enough reviewers: " in page
