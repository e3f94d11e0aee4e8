"""Speakers confirm or decline their part through a signed link, without an account; the chair sees who has not."""
import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Decision, ProposalKind, ProposalStatus, SpeakerAnswer
from consult.proposals.services import ProposalContent, submit_proposal, update_proposal
from consult.proposals.speakers import speaker_for_token, speaker_token, unconfirmed_speakers
from tests.factories import make_consultation, make_proposal, make_user

SPEAKERS = [{"name": "Amara Diop", "email": "Amara@Example.org", "organization": "Senegal Digital", "stakeholder_type": None,
             "country": "SN", "gender": "female", "is_confirmed": False, "is_remote": False},
            {"name": "Lars Nielsen", "email": "", "organization": "", "stakeholder_type": None, "country": None,
             "gender": "", "is_confirmed": False, "is_remote": True}]


@pytest.fixture
def draft(app):
    consultation = make_consultation()
    owner = make_user(name="Nadia Haddad", email="nadia@example.org", organization="Arab ICT Org")
    proposal = make_proposal(consultation, owner, kind=ProposalKind.FORMAT, status=ProposalStatus.DRAFT,
                             title="Community networks in rural schools")
    content = ProposalContent.of(proposal)
    content.speakers = SPEAKERS
    update_proposal(proposal, actor=owner, content=content)
    db.session.commit()
    return proposal, owner


@pytest.fixture
def submitted(app, draft):
    """The draft submitted (its speakers asked), with the first speaker's answer link."""
    proposal, owner = draft
    with app.test_request_context():
        submit_proposal(proposal, actor=owner)
        db.session.commit()
        return proposal, owner, speaker_token(proposal.speakers[0])


def _messages(category):
    return db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.category == category)).scalars().all()


def test_submission_asks_each_speaker_with_an_address_once(app, draft):
    proposal, owner = draft
    with app.test_request_context():
        submit_proposal(proposal, actor=owner)
        db.session.commit()

    invitations = _messages("speaker.invite")
    assert [(m.recipient, m.subject) for m in invitations] == [
        ("amara@example.org", "Please confirm: you are named as a speaker of “Community networks in rural schools”")]
    assert re.search(r"http://localhost/speakers/[\w.-]+", invitations[0].body)
    assert [s.answer for s in proposal.speakers] == [SpeakerAnswer.PENDING, SpeakerAnswer.NOT_INVITED]


def test_speaker_confirms_through_the_link_and_the_submitter_is_told(client, submitted):
    proposal, _owner, token = submitted

    page = client.get(f"/speakers/{token}").get_data(as_text=True)
    response = client.post(f"/speakers/{token}", data={"confirm": "1"})

    assert "Arab ICT Org named you, Amara Diop, as a speaker" in page
    assert response.status_code == 303
    speaker = proposal.speakers[0]
    db.session.refresh(speaker)
    assert (speaker.answer, speaker.is_confirmed) == (SpeakerAnswer.CONFIRMED, True)
    told = _messages("speaker.answer")
    assert [(m.recipient, m.subject) for m in told] == [
        ("nadia@example.org", f"Amara Diop confirmed their part in {proposal.reference}")]


def test_speaker_declines_through_the_link(client, submitted):
    proposal, _owner, token = submitted
    client.post(f"/speakers/{token}", data={"decline": "1"})

    assert proposal.speakers[0].answer is SpeakerAnswer.DECLINED and proposal.speakers[0].is_confirmed is False


def test_a_changed_address_asks_again_and_the_old_link_stops_working(app, submitted):
    proposal, owner, old_token = submitted
    with app.test_request_context():
        content = ProposalContent.of(proposal)
        content.speakers[0]["email"] = "amara.diop@example.sn"
        update_proposal(proposal, actor=owner, content=content, expected_version=proposal.version_id)
        db.session.commit()

        assert speaker_for_token(old_token) is None
        assert speaker_for_token(speaker_token(proposal.speakers[0])) == proposal.speakers[0]
    assert [m.recipient for m in _messages("speaker.invite")] == ["amara@example.org", "amara.diop@example.sn"]


def test_forged_or_tampered_tokens_open_nothing(app, client, draft):
    proposal, _owner = draft
    with app.test_request_context():
        token = speaker_token(proposal.speakers[0])

    assert client.get("/speakers/forged").status_code == 404
    assert client.get(f"/speakers/{token[:-2]}xx").status_code == 404


def test_chair_sees_unconfirmed_speakers_of_accepted_proposals(app, client, login):
    consultation = make_consultation()
    accepted = make_proposal(consultation, make_user(), kind=ProposalKind.FORMAT, decision=Decision.ACCEPTED, speakers=2)
    accepted.speakers[0].is_confirmed = True
    make_proposal(consultation, make_user(), kind=ProposalKind.FORMAT, decision=Decision.DECLINED, speakers=2)
    # Accepted but not yet announced: its speakers are not chased before the submitter is told.
    make_proposal(consultation, make_user(), kind=ProposalKind.FORMAT, decision=Decision.ACCEPTED, announced=False,
                  speakers=1)
    chair = make_user(role=Role.CHAIR)
    db.session.commit()

    assert [s.name for s in unconfirmed_speakers(consultation.id)] == [accepted.speakers[1].name]
    login(chair)
    page = client.get("/proposals/chair/speakers").get_data(as_text=True)
    assert page.count('data-testid="unconfirmed-speaker"') == 1 and accepted.speakers[1].name in page
    assert "1 speaker without confirmation" in page
