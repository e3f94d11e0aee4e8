"""What became of a proposal, as its submitter reads it on My proposals and on the proposal's page."""
from datetime import time

import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agenda.models import AgendaVersion, AgendaVersionKind
from consult.clustering.consent import sync_merge_consents
from consult.clustering.models import ConsentState, MergeConsent
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.outcomes import outcomes_for
from consult.proposals.models import Decision
from consult.review.models import DecisionReason, ReviewState
from tests import factories
from tests.agenda.factories import make_cluster, make_days, make_room, make_session


def test_accepted_proposal_in_a_scheduled_session_names_day_time_and_room(app, client, login):
    consultation = factories.make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    owner = factories.make_user()
    proposal = factories.make_proposal(consultation, owner, decision=Decision.ACCEPTED, title="Rural schools online")
    cluster = make_cluster(consultation, [proposal], title="Connecting schools")
    day = make_days(consultation, 1)[0]
    session = make_session(consultation, title="Connecting schools", day=day, room=make_room(consultation, name="Room K"),
                           start=time(10, 0))
    session.cluster_id = cluster.id
    db.session.commit()
    login(owner)

    page = client.get("/proposals/mine").get_data(as_text=True)

    outcome = outcomes_for([proposal])[proposal.id]
    assert (outcome.session.title, outcome.session.room) == ("Connecting schools", "Room K")
    assert outcome.session.when.endswith("10:00 CET") or outcome.session.when.endswith("10:00 CEST")
    assert "In the session “Connecting schools”." in page and "Room K" in page
    assert "it will appear in the draft agenda" not in page


def test_a_pending_merge_request_comes_first_and_links_to_its_answer(app, client, login):
    consultation = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    owner = factories.make_user()
    proposal = factories.make_proposal(consultation, owner, decision=Decision.ACCEPTED)
    cluster = make_cluster(consultation, [proposal, factories.make_proposal(consultation, factories.make_user())])
    db.session.add(MergeConsent(cluster_id=cluster.id, proposal_id=proposal.id, state=ConsentState.PENDING))
    db.session.commit()
    login(owner)

    page = client.get("/proposals/mine").get_data(as_text=True)

    assert "A merge request waits for your answer before the committee goes on." in page
    assert 'data-testid="open-requests"' in page and 'href="/review/consents/"' in page
    assert "Accepted: the committee is building" not in page


def test_declined_with_reason_and_released_feedback_only_once_released(app, client, login):
    consultation = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    owner = factories.make_user()
    reason = DecisionReason(consultation_id=consultation.id, code="capacity", label="Not enough room in the programme")
    db.session.add(reason)
    db.session.flush()
    proposal = factories.make_proposal(consultation, owner, decision=Decision.DECLINED, decision_reason_id=reason.id,
                                       decision_note="Consider a side event.")
    criterion = factories.make_criterion(consultation)
    review = factories.make_review(proposal, factories.make_user(role=Role.REVIEWER, name="Hidden Reviewer"),
                                   {criterion: 2}, state=ReviewState.SUBMITTED)
    review.comment_to_submitter = "Add speakers from two more regions."
    db.session.commit()
    login(owner)

    before = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    consultation.is_feedback_released = True
    db.session.commit()
    after = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)

    assert '<dd data-testid="decision">Declined</dd>' in before and "Not enough room in the programme" in before
    assert "Consider a side event." in before and "Add speakers from two more regions." not in before
    assert "Add speakers from two more regions." in after and "Hidden Reviewer" not in after


def test_merge_request_links_the_other_proposals_says_by_when_and_the_email_links_to_it(app, client, login):
    consultation = factories.make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    consultation.submissions_published = True
    consultation.is_blind_review = False  # the other organizations are named once review is not blind
    owner = factories.make_user(organization="Digital Inclusion Kenya")
    mine = factories.make_proposal(consultation, owner, title="Mine")
    other = factories.make_proposal(consultation, factories.make_user(organization="Pacific Cloud Services"), title="Theirs")
    cluster = make_cluster(consultation, [mine, other], title="Island and rural networks")
    with app.test_request_context():
        sync_merge_consents(cluster, actor=None)
    db.session.commit()
    login(owner)

    page = client.get("/review/consents/").get_data(as_text=True)

    mail = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == owner.email)).scalar_one()
    assert "http://localhost/review/consents/" in mail.body and "by " in mail.body
    assert f'<a href="/proposals/{other.id}">{other.reference} Theirs</a> — <bdi>Pacific Cloud Services</bdi>' in page
    assert 'data-testid="answer-by">Please answer by' in page


def test_an_accepted_proposal_in_no_session_is_told_where_the_published_agenda_leaves_it(app):
    consultation = factories.make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    proposal = factories.make_proposal(consultation, factories.make_user(), decision=Decision.ACCEPTED)
    db.session.flush()
    said = [outcomes_for([proposal])[proposal.id].next_step]
    for number, kind in ((1, AgendaVersionKind.DRAFT), (2, AgendaVersionKind.FINAL)):
        db.session.add(AgendaVersion(consultation_id=consultation.id, number=number, kind=kind, snapshot=[]))
        db.session.flush()
        said.append(outcomes_for([proposal])[proposal.id].next_step)

    assert said == ["Accepted: the committee is building the sessions of the draft agenda.",
                    "Accepted; it is in no session of the published draft agenda yet. The committee may still place "
                    "it before the final agenda.",
                    "Accepted, but it is in no session of the final agenda."]
