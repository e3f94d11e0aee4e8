"""Decisions held until the chair announces them in one batch: preview, release, idempotency, what submitters see."""
import json
import re
from datetime import datetime, timezone

import sqlalchemy as sa

from consult.audit.models import AuditEntry
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.outbox.services import queue_email
from consult.proposals.models import Decision, Proposal
from consult.review import announcements
from consult.review.assignment import assign_reviewer
from consult.review.models import DecisionReason
from tests import factories


def _mails():
    return db.session.execute(sa.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def _decide(client, proposal, decision, reason_id="", note=""):
    db.session.refresh(proposal)
    return client.post(f"/review/proposals/{proposal.id}/decision", data={
        "decision": decision, "reason_id": str(reason_id), "note": note, "version_id": str(proposal.version_id)})


def _release(client):
    page = client.get("/review/decisions/held").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    return client.post("/review/decisions/release", data={"fingerprint": fingerprint})


def _reason(code="capacity"):
    return db.session.execute(sa.select(DecisionReason).where(DecisionReason.code == code)).scalar_one()


def test_decisions_are_held_and_previewed_exactly_as_they_will_leave(client, as_user, review_setup):
    setup = review_setup
    consultation, proposals = setup["consultation"], setup["proposals"]
    consultation.timezone = "Asia/Tokyo"
    db.session.commit()
    as_user(setup["chair"])

    assert _decide(client, proposals[0], "accepted", note="Welcome <b>aboard</b>").status_code == 302
    assert _decide(client, proposals[1], "declined", reason_id=_reason().id).status_code == 302
    proposals[0].decided_at = datetime(2026, 3, 2, 6, 30, tzinfo=timezone.utc)
    db.session.commit()

    ranking = client.get("/review/ranking").get_data(as_text=True)
    page = client.get("/review/decisions/held").get_data(as_text=True)

    assert _mails() == []
    assert "2 decisions not yet announced: preview the e-mails and announce them" in ranking
    assert '<p data-testid="held-count">2 decisions not yet announced.</p>' in page
    recipients = re.findall(r'data-testid="email-recipient">([^<]+)<', page)
    assert recipients == [proposals[0].submitter_email, proposals[1].submitter_email]
    assert f'data-testid="email-subject">Decision on your proposal {proposals[0].reference}<' in page
    # The consultation's time zone (06:30 UTC is 15:30 in Tokyo), the chair's note escaped, a link to the proposal.
    assert "Decided on 2 Mar 2026, 15:30 JST." in page
    assert "Welcome &lt;b&gt;aboard&lt;/b&gt;" in page
    assert f"Your proposal: http://localhost/proposals/{proposals[0].id}" in page
    assert "Reason: Not enough room in the programme" in page


def test_release_sends_each_final_decision_once_and_submitters_see_it_only_then(client, as_user, review_setup, login):
    setup = review_setup
    proposals, owner = setup["proposals"], setup["submitters"][0]
    as_user(setup["chair"])
    _decide(client, proposals[0], "declined", reason_id=_reason().id)
    _decide(client, proposals[0], "accepted", note="Changed our mind.")
    _decide(client, proposals[1], "accepted")
    _decide(client, proposals[1], "pending")

    as_user(owner)
    mine_before = client.get("/proposals/mine").get_data(as_text=True)
    show_before = client.get(f"/proposals/{proposals[0].id}").get_data(as_text=True)
    data_before = json.loads(client.get("/account/data.json").get_data(as_text=True))
    as_user(setup["chair"])
    released = _release(client)
    again = client.post("/review/decisions/release", data={"fingerprint": announcements.held_fingerprint(
        setup["consultation"].id)})
    as_user(owner)
    mine_after = client.get("/proposals/mine").get_data(as_text=True)
    data_after = json.loads(client.get("/account/data.json").get_data(as_text=True))

    assert "Accepted" not in mine_before and "Awaiting decision" in show_before and "Accepted" not in show_before
    assert [p["decision"] for p in data_before["proposals"]] == ["pending"]
    assert released.status_code == 302 and again.status_code == 302
    # Only the last decision of proposal 0 leaves; proposal 1 went back to what was announced, so nothing.
    mails = _mails()
    assert [(mail.recipient, mail.subject) for mail in mails] == [
        (proposals[0].submitter_email, f"Decision on your proposal {proposals[0].reference}")]
    assert "Accepted" in mails[0].body and "Declined" not in mails[0].body and "Changed our mind." in mails[0].body
    assert mails[0].idempotency_key == f"review.decision:{proposals[0].id}:v3"
    assert "Accepted" in mine_after and [p["decision"] for p in data_after["proposals"]] == ["accepted"]
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "proposal.release_decisions")).scalar_one()
    assert (entry.actor_id, entry.summary, entry.details["references"]) == (
        setup["chair"].id, "1 decision announced", [proposals[0].reference])


def test_a_decision_changed_after_release_is_held_again_and_announced_once_more(client, as_user, review_setup):
    setup = review_setup
    proposal = setup["proposals"][0]
    as_user(setup["chair"])
    _decide(client, proposal, "accepted")
    _release(client)
    _decide(client, proposal, "pending")

    page = client.get("/review/decisions/held").get_data(as_text=True)
    _release(client)

    assert "1 decision not yet announced." in page
    assert [mail.subject for mail in _mails()] == [f"Decision on your proposal {proposal.reference}",
                                                  f"Your proposal {proposal.reference} is under review again"]
    db.session.refresh(proposal)
    assert proposal.announced_decision is Decision.PENDING


def test_release_refused_whole_when_decisions_changed_since_the_preview(client, as_user, review_setup):
    setup = review_setup
    proposals = setup["proposals"]
    as_user(setup["chair"])
    _decide(client, proposals[0], "accepted")
    page = client.get("/review/decisions/held").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    _decide(client, proposals[1], "accepted")

    response = client.post("/review/decisions/release", data={"fingerprint": fingerprint})

    assert response.status_code == 409
    assert "Decisions changed since you opened the preview; nothing was sent." in response.get_data(as_text=True)
    assert '<p data-testid="held-count">2 decisions not yet announced.</p>' in response.get_data(as_text=True)
    assert _mails() == []
    assert db.session.get(Proposal, proposals[0].id).announced_decision is Decision.PENDING


def test_outbox_queues_a_keyed_message_once(app):
    first = queue_email("a@example.org", "Subject", "Body", idempotency_key="k-1")
    second = queue_email("a@example.org", "Subject again", "Other body", idempotency_key="k-1")

    assert first.id == second.id
    assert [(mail.subject, mail.body) for mail in _mails()] == [("Subject", "Body")]


def test_bulk_decision_with_unfinished_reviews_needs_explicit_confirmation(client, as_user, review_setup):
    setup = review_setup
    proposals, reviewers = setup["proposals"], setup["reviewers"]
    assign_reviewer(proposals[0], reviewers[0], actor=None)
    assign_reviewer(proposals[0], reviewers[1], actor=None)
    factories.make_review(proposals[0], reviewers[0], {c: 3 for c in setup["criteria"]})
    assign_reviewer(proposals[1], reviewers[0], actor=None)
    factories.make_review(proposals[1], reviewers[0], {c: 4 for c in setup["criteria"]})
    db.session.commit()
    as_user(setup["chair"])
    choice = {"proposal_ids": [str(proposals[0].id), str(proposals[1].id)], "decision": "accepted"}

    confirm = client.post("/review/ranking/bulk", data=choice).get_data(as_text=True)
    versions = dict(re.findall(r'name="(version_\d+)" value="(\d+)"', confirm))
    refused = client.post("/review/ranking/bulk/apply", data={**choice, **versions})
    confirmed = client.post("/review/ranking/bulk/apply", data={**choice, **versions, "confirm_unfinished": "y"})

    assert (f"{proposals[0].reference} · <bdi>{proposals[0].title}</bdi>: 1 of 2 reviews submitted") in confirm
    assert proposals[1].reference + " · " + proposals[1].title + ": " not in confirm
    assert refused.status_code == 422
    assert ('<p class="error" id="confirm_unfinished-error">1 proposal has unfinished reviews '
            f'({proposals[0].reference}): tick the box to decide on it anyway.</p>') in refused.get_data(as_text=True)
    assert confirmed.status_code == 302
    assert [db.session.get(Proposal, p.id).decision for p in proposals[:2]] == [Decision.ACCEPTED, Decision.ACCEPTED]


def test_held_preview_costs_the_same_queries_with_2_and_20_decisions(client, as_user, review_setup, count_queries):
    setup = review_setup
    consultation = setup["consultation"]
    consultation.is_feedback_released = True
    factories.make_proposal(consultation, factories.make_user(), decision=Decision.ACCEPTED, announced=False)
    factories.make_proposal(consultation, factories.make_user(), decision=Decision.DECLINED,
                            decision_reason_id=_reason().id, announced=False)
    db.session.commit()
    as_user(setup["chair"])
    client.get("/review/decisions/held")
    with count_queries() as few:
        client.get("/review/decisions/held")
    for _index in range(18):
        factories.make_proposal(consultation, factories.make_user(), decision=Decision.DECLINED,
                                decision_reason_id=_reason().id, announced=False)
    db.session.commit()
    with count_queries() as many:
        page = client.get("/review/decisions/held").get_data(as_text=True)

    assert "20 decisions not yet announced." in page
    assert few.count == many.count


def test_e_mail_links_use_public_base_url_whatever_host_the_request_names(app, review_setup):
    setup = review_setup
    proposal = setup["proposals"][0]
    proposal.decision = Decision.ACCEPTED
    app.config["PUBLIC_BASE_URL"] = "https://consult.example.org"

    with app.test_request_context("/review/decisions/held", base_url="http://attacker.example"):
        [email] = announcements.decision_emails([proposal], setup["consultation"])
    app.config["PUBLIC_BASE_URL"] = None
    with app.test_request_context("/review/decisions/held", base_url="http://consult.local:8000"):
        [local] = announcements.decision_emails([proposal], setup["consultation"])

    assert f"Your proposal: https://consult.example.org/proposals/{proposal.id}" in email.body
    assert "attacker.example" not in email.body
    assert f"Your proposal: http://consult.local:8000/proposals/{proposal.id}" in local.body
