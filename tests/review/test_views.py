"""Review pages over HTTP: blind review leaks nothing, the authorization matrix, query counts, decisions, exports."""
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from consult.extensions import db
from consult.jobs.models import WorkJob, WorkKind
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Decision, Proposal
from consult.review.assignment import assign_reviewer
from consult.review.models import Conflict, DecisionReason, Review, ReviewAssignment, ReviewState
from tests import factories


def _score_data(criteria, value="4", **extra):
    data = {f"score_{criterion.id}": value for criterion in criteria}
    data.update(extra)
    return data


def _leak_strings(setup):
    strings = []
    for submitter in setup["submitters"]:
        strings += [submitter.name, submitter.email, submitter.organization, "Speaker org"]
    return strings


def test_blind_review_leaks_no_identity_anywhere_a_reviewer_looks(client, as_user, review_setup):
    setup = review_setup
    setup["consultation"].is_blind_review = True
    reviewer, colleague = setup["reviewers"][0], setup["reviewers"][1]
    proposal = setup["proposals"][0]
    for member in (reviewer, colleague):
        assign_reviewer(proposal, member, actor=setup["chair"])
    factories.make_review(proposal, colleague, {c: 3 for c in setup["criteria"]}, comment_to_committee="Fine")
    factories.make_review(proposal, reviewer, {c: 4 for c in setup["criteria"]})
    assign_reviewer(setup["proposals"][1], reviewer, actor=setup["chair"])
    db.session.commit()
    as_user(reviewer)

    pages = {url: client.get(url) for url in (
        "/review/queue", "/review/queue?tab=done", f"/review/proposals/{proposal.id}",
        f"/review/proposals/{setup['proposals'][1].id}", f"/review/proposals/{setup['proposals'][1].id}/conflict",
        f"/review/proposals/{setup['proposals'][1].id}/decline", "/review/export/reviews.csv", "/", )}
    xlsx = client.get("/review/export/reviews.xlsx")

    assert {url: response.status_code for url, response in pages.items()} == {url: 200 for url in pages}
    texts = {url: response.get_data(as_text=True) for url, response in pages.items()}
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    texts["xlsx"] = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    assert "Community networks 0" in texts[f"/review/proposals/{proposal.id}"]
    assert "hidden (blind review)" in texts["/review/export/reviews.csv"]
    for url, text in texts.items():
        for secret in _leak_strings(setup):
            assert secret not in text, f"{secret!r} leaked on {url}"


def test_without_blind_review_the_reviewer_sees_the_submitter(client, as_user, review_setup):
    reviewer, proposal = review_setup["reviewers"][0], review_setup["proposals"][0]
    review_setup["consultation"].is_blind_review = False
    assign_reviewer(proposal, reviewer, actor=review_setup["chair"])
    db.session.commit()
    as_user(reviewer)

    page = client.get(f"/review/proposals/{proposal.id}").get_data(as_text=True)

    assert "Zebulon Quartermaine 0" in page and "Hyperborean Leakage Institute 0" in page


def test_chair_export_keeps_identity_in_blind_mode(client, as_user, review_setup):
    review_setup["consultation"].is_blind_review = True
    factories.make_review(review_setup["proposals"][0], review_setup["reviewers"][0], {c: 4 for c in review_setup["criteria"]})
    db.session.commit()
    as_user(review_setup["chair"])

    text = client.get("/review/export/reviews.csv").get_data(as_text=True)

    assert "Zebulon Quartermaine 0,Hyperborean Leakage Institute 0,Lukas Berger" in text


ROUTES = {
    "queue": ("GET", "/review/queue"),
    "score": ("GET", "/review/proposals/{p}"),
    "conflict": ("GET", "/review/proposals/{p}/conflict"),
    "decline": ("GET", "/review/proposals/{p}/decline"),
    "my_export": ("GET", "/review/export/reviews.csv"),
    "criteria": ("GET", "/review/criteria"),
    "criterion": ("GET", "/review/criteria/{c}"),
    "defaults": ("POST", "/review/criteria/defaults"),
    "reason": ("GET", "/review/reasons/{r}"),
    "settings": ("GET", "/review/settings"),
    "assignments": ("GET", "/review/assignments"),
    "auto": ("POST", "/review/assignments/auto"),
    "add": ("POST", "/review/assignments/add"),
    "remove": ("POST", "/review/assignments/{a}/remove"),
    "ranking": ("GET", "/review/ranking"),
    "bulk": ("POST", "/review/ranking/bulk"),
    "apply": ("POST", "/review/ranking/bulk/apply"),
    "decide": ("GET", "/review/proposals/{p}/decision"),
    "selection": ("GET", "/review/selection"),
    "progress": ("GET", "/review/progress"),
    "remind": ("POST", "/review/progress/remind"),
    "ranking_export": ("GET", "/review/export/ranking.csv"),
    "held": ("GET", "/review/decisions/held"),
    "release": ("POST", "/review/decisions/release"),
    "assign_status": ("GET", "/review/assignments/jobs/{j}/status.json"),
    "assign_retry": ("POST", "/review/assignments/jobs/{j}/retry"),
}
CHAIR_ONLY = {"criteria", "criterion", "defaults", "reason", "settings", "assignments", "auto", "add", "remove", "ranking",
              "bulk", "apply", "decide", "selection", "progress", "remind", "ranking_export", "held", "release",
              "assign_status", "assign_retry"}
REDIRECTS = {"defaults", "auto", "add", "remove", "bulk", "apply", "remind"}


def expected_status(role: str, name: str) -> int:
    if role == "anonymous":
        return 302
    if role == "stakeholder":
        return 403
    if role in ("reviewer", "conflicted") and name in CHAIR_ONLY:
        return 403
    if role == "conflicted" and name in ("score", "conflict", "decline"):
        return 403
    if role == "chair" and name == "decline":
        return 403  # the chair holds no assignment to decline
    if role == "chair" and name == "apply":
        return 400  # nothing selected
    if role == "chair" and name in ("add", "bulk", "release", "assign_retry"):
        return 422  # the empty form, or a run still queued: the page again with the reason
    return 302 if name in REDIRECTS else 200


@pytest.mark.parametrize("role", ["anonymous", "stakeholder", "reviewer", "conflicted", "chair"])
def test_authorization_matrix(client, as_user, review_setup, app, role):
    setup = review_setup
    proposal = setup["proposals"][0]
    assignment = assign_reviewer(proposal, setup["reviewers"][0], actor=None)
    assign_reviewer(proposal, setup["reviewers"][1], actor=None)
    db.session.add(Conflict(reviewer_id=setup["reviewers"][2].id, proposal_id=proposal.id, reason="Former employer"))
    reason = db.session.execute(sa.select(DecisionReason).limit(1)).scalar_one()
    run = WorkJob(consultation_id=proposal.consultation_id, kind=WorkKind.REVIEW_ASSIGNMENT, parameters={}, attempts=1)
    db.session.add(run)
    db.session.commit()
    users = {"stakeholder": setup["submitters"][1], "reviewer": setup["reviewers"][0], "conflicted": setup["reviewers"][2],
             "chair": setup["chair"]}
    if role != "anonymous":
        as_user(users[role])
    ids = {"p": proposal.id, "c": setup["criteria"][0].id, "r": reason.id, "a": assignment.id, "j": run.id}

    statuses = {}
    for name, (method, url) in ROUTES.items():
        response = client.open(url.format(**ids), method=method)
        statuses[name] = response.status_code

    assert statuses == {name: expected_status(role, name) for name in ROUTES}
    # The rule-check routes covered every review route of the app.
    assert len([rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("review.")]) == len(ROUTES) + 1


def test_conflicted_reviewer_cannot_post_a_review(client, as_user, review_setup):
    setup = review_setup
    proposal, reviewer = setup["proposals"][0], setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    db.session.commit()
    as_user(reviewer)
    client.post(f"/review/proposals/{proposal.id}/conflict", data={"reason": "My sister organises it"})

    response = client.post(
        f"/review/proposals/{proposal.id}", data=_score_data(setup["criteria"], recommendation="accept", submit="1")
    )

    assert response.status_code == 403
    assert db.session.execute(sa.select(sa.func.count()).select_from(Review)).scalar_one() == 0


def test_reviewer_submits_review_with_weighted_total(client, as_user, review_setup):
    setup = review_setup
    proposal, reviewer = setup["proposals"][0], setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    db.session.commit()
    as_user(reviewer)
    data = _score_data(
        setup["criteria"], "4", recommendation="accept", comment_to_submitter="Add a speaker from Asia.", submit="1"
    )
    data[f"score_{setup['criteria'][0].id}"] = "2"  # weight 2 of 5.5 in all

    response = client.post(f"/review/proposals/{proposal.id}", data=data)

    assert (response.status_code, response.headers["Location"]) == (302, "/review/queue")
    review = db.session.execute(sa.select(Review)).scalar_one()
    assert (review.state, round(review.total_score, 4)) == (ReviewState.SUBMITTED, round((2 * 2 + 4 * 3.5) / 5.5, 4))


def test_submit_without_required_score_is_refused_and_keeps_input(client, as_user, review_setup):
    setup = review_setup
    proposal, reviewer = setup["proposals"][0], setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    db.session.commit()
    as_user(reviewer)
    data = _score_data(setup["criteria"][1:], "4", recommendation="accept", comment_to_committee="Keep this text", submit="1")

    response = client.post(f"/review/proposals/{proposal.id}", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Score “{setup['criteria'][0].name}” before submitting." in page
    assert "Keep this text" in page


def test_stale_draft_edit_is_a_409(client, as_user, review_setup):
    setup = review_setup
    proposal, reviewer = setup["proposals"][0], setup["reviewers"][0]
    assign_reviewer(proposal, reviewer, actor=None)
    factories.make_review(proposal, reviewer, {c: 3 for c in setup["criteria"]}, state=ReviewState.DRAFT)
    db.session.commit()
    as_user(reviewer)

    response = client.post(f"/review/proposals/{proposal.id}", data=_score_data(setup["criteria"], version_id="99", save="1"))

    assert response.status_code == 409
    assert "This was saved again in the meantime. The form holds what you typed" in response.get_data(as_text=True)


def _populate(setup, count):
    consultation = setup["consultation"]
    reviewer = setup["reviewers"][0]
    for index in range(count):
        proposal = factories.make_proposal(consultation, factories.make_user(), speakers=2)
        assign_reviewer(proposal, reviewer, actor=None)
        factories.make_review(proposal, setup["reviewers"][1], {c: 1 + index % 5 for c in setup["criteria"]})
        if index % 2:
            factories.make_review(proposal, reviewer, {c: 2 + index % 3 for c in setup["criteria"]},
                                  state=ReviewState.DRAFT if index % 4 == 3 else ReviewState.SUBMITTED)
    db.session.commit()


@pytest.mark.parametrize("url,user_key", [("/review/ranking", "chair"), ("/review/queue", "reviewer"),
                                          ("/review/queue?tab=done", "reviewer"), ("/review/progress", "chair"),
                                          ("/review/assignments", "chair")])
def test_list_pages_cost_the_same_queries_with_3_and_30_proposals(client, as_user, review_setup, count_queries, url, user_key):
    setup = review_setup
    user = setup["chair"] if user_key == "chair" else setup["reviewers"][0]
    counts = []
    for extra in (3, 27):
        _populate(setup, extra)
        as_user(user)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1]


def test_ranking_reports_reviews_lacking_a_new_criterion(client, as_user, review_setup):
    setup = review_setup
    for reviewer in setup["reviewers"][:2]:
        factories.make_review(setup["proposals"][0], reviewer, {c: 4 for c in setup["criteria"]})
    factories.make_criterion(setup["consultation"], name="Youth participation")
    db.session.commit()
    as_user(setup["chair"])

    page = client.get("/review/ranking").get_data(as_text=True)

    assert "2 submitted reviews lack the criterion “Youth participation”." in page


def test_ranking_filters_by_region(client, as_user, review_setup):
    setup = review_setup
    factories.make_proposal(setup["consultation"], factories.make_user(country="FR"), title="Geneva dialogue on AI")
    db.session.commit()
    as_user(setup["chair"])

    page = client.get("/review/ranking?region=europe").get_data(as_text=True)

    assert "Geneva dialogue on AI" in page and "Community networks 0" not in page


def test_bulk_decision_confirms_then_applies_and_holds_the_e_mails(client, as_user, review_setup):
    setup = review_setup
    proposals = setup["proposals"]
    factories.make_review(proposals[0], setup["reviewers"][0], {c: 2 for c in setup["criteria"]},
                          comment_to_submitter="Please narrow the topic.")
    proposals[2].decision = Decision.DECLINED
    proposals[2].announced_decision = Decision.DECLINED
    reason = db.session.execute(sa.select(DecisionReason).where(DecisionReason.code == "capacity")).scalar_one()
    db.session.commit()
    as_user(setup["chair"])
    choice = {"proposal_ids": [str(p.id) for p in proposals], "decision": "declined", "reason_id": str(reason.id),
              "note": "The programme is full."}

    confirm = client.post("/review/ranking/bulk", data=choice)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "2 proposals will change" in page and "1 selected proposal already has this decision" in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(OutboxMessage)).scalar_one() == 0
    versions = dict(re.findall(r'name="(version_\d+)" value="(\d+)"', page))

    applied = client.post(
        "/review/ranking/bulk/apply",
        data={**choice, **versions, "proposal_ids": re.findall(r'name="proposal_ids" value="(\d+)"', page)},
    )

    assert (applied.status_code, applied.headers["Location"]) == (302, "/review/decisions/held")
    assert [p.decision for p in proposals] == [Decision.DECLINED] * 3
    assert (proposals[0].decision_reason_id, proposals[0].decision_note) == (reason.id, "The programme is full.")
    # Held: nothing is e-mailed and the submitters still read what they were told.
    assert db.session.execute(sa.select(sa.func.count()).select_from(OutboxMessage)).scalar_one() == 0
    assert [p.announced_decision for p in proposals] == [Decision.PENDING, Decision.PENDING, Decision.DECLINED]


def test_bulk_apply_refuses_when_a_proposal_changed_meanwhile(client, as_user, review_setup):
    setup = review_setup
    proposal = setup["proposals"][0]
    db.session.commit()
    as_user(setup["chair"])

    response = client.post("/review/ranking/bulk/apply", data={"proposal_ids": [str(proposal.id)], "decision": "accepted",
                                                               f"version_{proposal.id}": str(proposal.version_id + 5)})

    # Refused whole: the ranking again with the reason, as a 409 (a stale version), nothing decided.
    assert response.status_code == 409
    assert f"{proposal.reference} changed since you loaded the page; nothing was applied." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).decision is Decision.PENDING
    assert db.session.execute(sa.select(sa.func.count()).select_from(OutboxMessage)).scalar_one() == 0


def test_decline_without_reason_is_refused(client, as_user, review_setup):
    as_user(review_setup["chair"])
    proposal = review_setup["proposals"][0]

    response = client.post(
        f"/review/proposals/{proposal.id}/decision", data={"decision": "declined", "reason_id": "", "note": ""}
    )

    assert response.status_code == 422
    assert "Choose the reason for declining." in response.get_data(as_text=True)


def test_exports_neutralise_formulas(client, as_user, review_setup):
    setup = review_setup
    setup["proposals"][0].title = "=HYPERLINK(\"http://evil\")"
    factories.make_review(setup["proposals"][0], setup["reviewers"][0], {c: 4 for c in setup["criteria"]},
                          comment_to_committee="+1 from me")
    db.session.commit()
    as_user(setup["chair"])

    ranking_csv = client.get("/review/export/ranking.csv").get_data(as_text=True)
    reviews_xlsx = load_workbook(io.BytesIO(client.get("/review/export/reviews.xlsx").data)).active

    assert "'=HYPERLINK" in ranking_csv
    values = [cell for row in reviews_xlsx.iter_rows(values_only=True) for cell in row]
    assert "'+1 from me" in values and "'=HYPERLINK(\"http://evil\")" in values


def test_selection_with_infeasible_bounds_shows_message(client, as_user, review_setup):
    setup = review_setup
    for proposal in setup["proposals"]:
        factories.make_review(proposal, setup["reviewers"][0], {c: 3 for c in setup["criteria"]})
    db.session.commit()
    as_user(setup["chair"])

    response = client.get("/review/selection?slots=3&max_type_share=10&max_per_organization=3")

    assert response.status_code == 200
    assert "No set of 3 proposals meets all these bounds." in response.get_data(as_text=True)


def test_reminders_go_to_reviewers_with_open_assignments(client, as_user, review_setup):
    setup = review_setup
    assign_reviewer(setup["proposals"][0], setup["reviewers"][0], actor=None)
    db.session.commit()
    as_user(setup["chair"])

    client.post("/review/progress/remind")

    # Assignment notices went out when the reviewers were assigned; here only the reminders count.
    mails = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.category != "review_assignment")).scalars().all()
    assert [(m.recipient, m.subject) for m in mails] == [(setup["reviewers"][0].email, "Reminder: 1 review to finish")]
    assert "1 proposal assigned to you in “" in mails[0].body and "” still waits for your review." in mails[0].body
    assert "Your review queue lists it; the review phase closes" in mails[0].body


def test_refused_assignment_posts_answer_4xx_with_the_reason(client, as_user, review_setup):
    setup = review_setup
    proposal, reviewer = setup["proposals"][0], setup["reviewers"][0]
    assignment = assign_reviewer(proposal, reviewer, actor=None)
    factories.make_review(proposal, reviewer, {criterion: 3 for criterion in setup["criteria"]})
    db.session.commit()
    as_user(setup["chair"])

    empty_add = client.post("/review/assignments/add", data={})
    remove_reviewed = client.post(f"/review/assignments/{assignment.id}/remove")
    empty_bulk = client.post("/review/ranking/bulk", data={})

    assert (empty_add.status_code, remove_reviewed.status_code, empty_bulk.status_code) == (422, 422, 422)
    assert "Choose a proposal and a reviewer." in empty_add.get_data(as_text=True)
    assert "This reviewer has submitted a review; the assignment stays." in remove_reviewed.get_data(as_text=True)
    assert "Tick at least one proposal and choose a decision." in empty_bulk.get_data(as_text=True)
    assert db.session.get(ReviewAssignment, assignment.id) is not None


def test_criteria_and_reasons_count_positions_from_1(client, as_user, review_setup):
    as_user(review_setup["chair"])

    page = client.get("/review/criteria").get_data(as_text=True)
    refused = client.post("/review/criteria", data={"name": "Reach", "weight": "1", "scale_min": "1", "scale_max": "5",
                                                    "position": "0", "is_required": "y", "is_active": "y"})

    positions = [criterion.position for criterion in review_setup["criteria"]]
    assert positions == list(range(1, len(positions) + 1))
    assert "<td>0</td>" not in page and "<td>1</td>" in page
    next_position = len(positions) + 1
    assert f'<input id="position" max="1000" min="1" name="position" required type="number" value="{next_position}">' in page
    reasons = db.session.execute(sa.select(DecisionReason.position).order_by(DecisionReason.position)).scalars().all()
    assert reasons[0] == 1
    assert (f'<input id="reason-position" max="1000" min="1" name="position" required type="number" '
            f'value="{reasons[-1] + 1}">') in page
    assert refused.status_code == 422
    assert "Number must be between 1 and 1000." in refused.get_data(as_text=True)
