"""Cluster suggestions of a large consultation run as a queue job (inline here): progress, outcome, reruns, failures."""
import sqlalchemy as sa

from consult.clustering.models import ClusterSuggestion
from consult.clustering.queries import latest_suggestions
from consult.consultations.models import Phase, PhaseKind
from consult.db import utcnow
from consult.extensions import db
from consult.jobs.models import JobState, WorkJob, WorkKind


def _runs(consultation_id: int) -> list[WorkJob]:
    db.session.expire_all()
    return list(db.session.execute(
        sa.select(WorkJob).where(WorkJob.consultation_id == consultation_id, WorkJob.kind == WorkKind.CLUSTER_SUGGESTIONS)
        .order_by(WorkJob.id)).scalars())


def test_small_consultation_suggests_in_the_request(app, client, login, reviewer, topic_proposals, drafting):
    login(reviewer)

    response = client.post("/clusters/suggest", data={"scope": "submitted", "k": "3"}, follow_redirects=True)

    assert "3 clusters suggested." in response.get_data(as_text=True)
    assert _runs(drafting.id) == []
    assert len(latest_suggestions(drafting.id)) == 3


def test_large_consultation_suggests_in_a_job_whose_page_shows_the_outcome(app, client, login, reviewer,
                                                                          topic_proposals, drafting):
    app.config["CLUSTERING_JOB_THRESHOLD"] = 10  # the 33 topic proposals are "large" here
    login(reviewer)

    response = client.post("/clusters/suggest", data={"scope": "submitted", "k": "3"})
    page = client.get("/clusters/suggestions").get_data(as_text=True)
    [run] = _runs(drafting.id)
    status = client.get(f"/clusters/suggestions/jobs/{run.id}/status.json")

    assert response.location.endswith("/clusters/suggestions")
    assert (run.state, run.progress, run.attempts, run.requested_by_id) == (JobState.DONE, 100, 1, reviewer.id)
    assert run.parameters == {"scope": "submitted", "k": 3, "locale": "en"}
    assert run.outcome == {"suggestions": 3, "proposals": 33}
    assert "3 clusters suggested from 33 proposals: they are listed below." in page
    assert "Suggestion 1: " in page
    assert f'data-status-url="/clusters/suggestions/jobs/{run.id}/status.json"' in page and 'data-state="done"' in page
    assert "js/job-progress.js" in page
    assert status.json == {"id": run.id, "kind": "cluster_suggestions", "state": "done", "state_label": "Done",
                           "progress": 100, "message": "", "is_stalled": False, "is_retryable": False}
    assert status.headers["Cache-Control"] == "no-store"


def test_a_second_run_replaces_the_first_runs_suggestions(app, client, login, reviewer, topic_proposals, drafting):
    app.config["CLUSTERING_JOB_THRESHOLD"] = 10
    login(reviewer)

    client.post("/clusters/suggest", data={"scope": "submitted", "k": "3"})
    first = [(s.run_id, s.proposal_ids) for s in latest_suggestions(drafting.id)]
    client.post("/clusters/suggest", data={"scope": "submitted", "k": "3"})
    second = [(s.run_id, s.proposal_ids) for s in latest_suggestions(drafting.id)]

    assert [state for state in (run.state for run in _runs(drafting.id))] == [JobState.DONE, JobState.DONE]
    assert [ids for _id, ids in second] == [ids for _id, ids in first]
    assert len({run_id for run_id, _ids in first} | {run_id for run_id, _ids in second}) == 2
    assert db.session.execute(sa.select(sa.func.count(ClusterSuggestion.id))).scalar_one() == 3


def test_a_run_refused_when_it_runs_fails_with_the_reason_and_can_be_retried(app, client, login, reviewer,
                                                                               topic_proposals, drafting):
    from consult.jobs.work import request_work

    # Queued while drafting was open, run after it closed: the worker refuses and says why on the page.
    request_work(drafting.id, WorkKind.CLUSTER_SUGGESTIONS, function="consult.clustering.jobs.suggest_clusters_job",
                 parameters={"scope": "submitted", "k": 3}, requested_by_id=reviewer.id)
    phase = db.session.execute(sa.select(Phase).where(Phase.consultation_id == drafting.id,
                                                      Phase.kind == PhaseKind.AGENDA_DRAFTING)).scalar_one()
    closes_at, phase.closes_at = phase.closes_at, utcnow()
    db.session.commit()
    login(reviewer)
    [failed] = _runs(drafting.id)
    page = client.get("/clusters/suggestions").get_data(as_text=True)

    assert (failed.state, failed.outcome) == (JobState.FAILED, None)
    assert "phase" in failed.message.lower()
    assert failed.message in page.replace("&#39;", "'")
    assert f"Retry run {failed.id}" in page
    assert latest_suggestions(drafting.id) == []

    phase.closes_at = closes_at
    db.session.commit()
    client.post(f"/clusters/suggestions/jobs/{failed.id}/retry")
    [retried] = _runs(drafting.id)

    assert (retried.id, retried.state, retried.attempts, retried.message) == (failed.id, JobState.DONE, 2, "")
    assert len(latest_suggestions(drafting.id)) == 3
