"""A draft is deleted, never withdrawn; a withdrawn proposal's pages say it is withdrawn."""
import pytest
import sqlalchemy as sa

from consult.errors import DomainError
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from consult.proposals.services import withdraw_proposal
from tests.factories import make_proposal

DRAFT_REFUSED = ("A draft is not withdrawn: nobody else has seen it. Delete it instead, with “Delete this draft” "
                 "on its page.")


def test_withdraw_proposal_refuses_a_draft(consultation, stakeholder):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT)

    with pytest.raises(DomainError) as refused:
        withdraw_proposal(draft, actor=stakeholder, reason="Changed my mind")

    assert refused.value.message == DRAFT_REFUSED
    assert (draft.status, draft.withdrawn_at) == (ProposalStatus.DRAFT, None)


def test_withdrawing_a_draft_by_post_is_refused_and_it_can_still_be_deleted(client, login, consultation, stakeholder):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, title="Unfinished idea")
    db.session.commit()
    login(stakeholder)

    refused = client.post(f"/proposals/{draft.id}/withdraw", data={"reason": "Changed my mind"})
    opened = client.get(f"/proposals/{draft.id}/withdraw")
    deleted = client.post(f"/proposals/{draft.id}/delete")

    assert refused.status_code == 422 and DRAFT_REFUSED in refused.get_data(as_text=True)
    assert opened.status_code == 422 and DRAFT_REFUSED in opened.get_data(as_text=True)
    assert deleted.headers["Location"] == "/proposals/mine"
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0


def test_a_draft_page_offers_no_withdraw_and_no_decision(client, login, consultation, stakeholder):
    draft = make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT, title="Unfinished idea")
    db.session.commit()
    login(stakeholder)

    page = client.get(f"/proposals/{draft.id}").get_data(as_text=True)

    assert '<p class="muted">Draft</p>' in page
    assert "Awaiting decision" not in page
    assert f"/proposals/{draft.id}/withdraw" not in page and "Delete this draft" in page


def test_a_submitted_page_offers_withdraw_and_shows_the_decision(client, login, consultation, stakeholder):
    proposal = make_proposal(consultation, stakeholder, title="Finished idea")
    db.session.commit()
    login(stakeholder)

    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)

    assert '<p class="muted">Submitted · Awaiting decision</p>' in page
    assert f'href="/proposals/{proposal.id}/withdraw">Withdraw</a>' in page


def test_the_confirmation_page_of_a_withdrawn_proposal_says_it_is_withdrawn(client, login, consultation, stakeholder):
    proposal = make_proposal(consultation, stakeholder, title="Finished idea")
    db.session.commit()
    login(stakeholder)
    client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": "Joined another proposal"})

    page = client.get(f"/proposals/{proposal.id}/submitted").get_data(as_text=True)

    assert "<h1>This proposal is withdrawn</h1>" in page
    assert (f'“<bdi>Finished idea</bdi>” (<bdi dir="ltr">{proposal.reference}</bdi>) was withdrawn on '
            in page) and "; it will not be reviewed.</p>" in page
    assert "Thank you" not in page and "You can edit or withdraw it" not in page


def test_the_confirmation_page_after_the_deadline_offers_no_editing(client, login, stakeholder):
    from consult.consultations.models import PhaseKind
    from tests.factories import make_consultation

    closed = make_consultation(current=PhaseKind.REVIEW)
    proposal = make_proposal(closed, stakeholder, title="Finished idea")
    db.session.commit()
    login(stakeholder)

    page = client.get(f"/proposals/{proposal.id}/submitted").get_data(as_text=True)

    assert "<h1>Thank you: your proposal is received</h1>" in page
    assert "You can edit or withdraw it until" not in page
