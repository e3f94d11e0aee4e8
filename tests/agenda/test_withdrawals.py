"""Withdrawing a proposal that is already part of a cluster and a session: said before, told to the chair, shown after."""
from datetime import time

import pytest
import sqlalchemy as sa

from consult.consultations.times import format_local
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Decision, Proposal, ProposalStatus
from tests.agenda.factories import make_cluster, make_days, make_room, make_session
from tests.factories import make_proposal, make_user


@pytest.fixture
def in_session(commenting, stakeholder, chair):
    proposal = make_proposal(commenting, stakeholder, title="Community networks for rural schools",
                             decision=Decision.ACCEPTED)
    partner = make_proposal(commenting, make_user(), title="Rural broadband", decision=Decision.MERGE)
    cluster = make_cluster(commenting, [proposal, partner], title="Rural connectivity")
    session = make_session(commenting, title="Connecting rural schools", day=make_days(commenting, 1)[0],
                           room=make_room(commenting, name="Popov Room"), start=time(10, 0))
    session.cluster_id = cluster.id
    db.session.commit()
    return proposal, cluster, session


def test_withdraw_page_says_what_happens_to_the_cluster_and_session(client, login, stakeholder, in_session):
    proposal, _cluster, session = in_session
    login(stakeholder)

    page = client.get(f"/proposals/{proposal.id}/withdraw").get_data(as_text=True)

    when = format_local(session.starts_at, proposal.consultation.timezone)  # the Forum's local time, as on the agenda
    assert when.split(", ")[-1].startswith("10:00 ") and "UTC" not in when
    assert f"of the agenda, on {when} in Popov Room; the session stays" in page
    assert "Your proposal is already part of the draft agenda" in page
    assert "It is one of the 2 proposals of the cluster “Rural connectivity”, where it will be shown as withdrawn." in page
    assert "I understand what withdrawing does to the cluster and session above" in page


def test_withdrawing_without_confirming_the_consequences_is_refused(client, login, stakeholder, in_session):
    proposal, _cluster, _session = in_session
    login(stakeholder)

    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": "Our speaker cannot travel"})

    assert response.status_code == 422
    assert "Tick the box to confirm that you read what withdrawing does to the session." in response.get_data(as_text=True)
    assert db.session.get(Proposal, proposal.id).status is ProposalStatus.SUBMITTED


def test_confirmed_withdrawal_tells_the_chair_and_shows_on_session_and_cluster(client, login, stakeholder, chair,
                                                                              in_session, app):
    proposal, cluster, session = in_session
    login(stakeholder)

    response = client.post(f"/proposals/{proposal.id}/withdraw",
                           data={"reason": "Our speaker cannot travel", "accept_consequences": "y"})

    mail = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == chair.email)).scalar_one()
    assert response.status_code == 303
    assert mail.subject == f"Withdrawn after the call: {proposal.reference}"
    assert "Reason given: Our speaker cannot travel" in mail.body and "“Connecting rural schools”" in mail.body
    chair_client = login(chair, app.test_client())
    with app.app_context():
        session_page = chair_client.get(f"/agenda/sessions/{session.id}").get_data(as_text=True)
        cluster_page = chair_client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert "Withdrawn after it joined this session" in session_page
    assert f"{proposal.reference} “Community networks for rural schools”, withdrawn by its submitter on" in session_page
    assert "withdrawn " in cluster_page.split("Community networks for rural schools")[1].split("</td>")[0]


def test_withdrawing_a_proposal_in_no_cluster_needs_no_confirmation(client, login, stakeholder, commenting):
    proposal = make_proposal(commenting, stakeholder)
    db.session.commit()
    login(stakeholder)

    page = client.get(f"/proposals/{proposal.id}/withdraw").get_data(as_text=True)
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": ""})

    assert "I understand what withdrawing" not in page
    assert response.status_code == 303
    assert db.session.execute(sa.select(sa.func.count(OutboxMessage.id))).scalar_one() == 0
