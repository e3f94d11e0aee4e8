"""The proposal services: drafts, submission, edits, withdrawal, the phase gate and idempotent creation."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.audit.models import AuditEntry
from consult.consultations.models import PhaseKind
from consult.db import utcnow
from consult.errors import DomainError, NotAllowedError, PhaseClosedError
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Proposal, ProposalKind, ProposalRevision, ProposalStatus
from consult.proposals.revisions import diff_revisions
from consult.proposals.services import (
    create_proposal,
    submit_proposal,
    update_proposal,
    withdraw_proposal,
)
from consult.reference import StakeholderType
from tests.factories import make_consultation
from tests.proposals.conftest import format_content, thematic_content


def test_create_proposal_makes_a_draft_with_tags(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=thematic_content(), creation_token="t1")

    assert proposal.status is ProposalStatus.DRAFT
    assert proposal.number is None and proposal.reference == "draft"
    assert proposal.action_line_codes == ["C2", "C7-ELEARN"]
    assert proposal.sdg_numbers == [4, 9]
    assert proposal.organization == "Digital Inclusion Kenya"


def test_create_proposal_same_token_returns_the_same_draft(consultation, stakeholder):
    first = create_proposal(consultation, submitter=stakeholder, content=thematic_content(), creation_token="t1")
    db.session.commit()

    second = create_proposal(consultation, submitter=stakeholder, content=thematic_content(title="Again"), creation_token="t1")

    assert second.id == first.id
    assert db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar_one() == 1


def test_create_proposal_token_of_another_user_is_refused(consultation, stakeholder, other_stakeholder):
    create_proposal(consultation, submitter=stakeholder, content=thematic_content(), creation_token="t1")

    with pytest.raises(NotAllowedError):
        create_proposal(consultation, submitter=other_stakeholder, content=thematic_content(), creation_token="t1")


def test_create_proposal_after_the_deadline_is_refused(app, stakeholder):
    closed = make_consultation(current=PhaseKind.REVIEW)

    with pytest.raises(PhaseClosedError) as error:
        create_proposal(closed, submitter=stakeholder, content=thematic_content())

    assert "which closed on" in error.value.message


def test_create_proposal_title_too_long_names_the_field(consultation, stakeholder):
    with pytest.raises(DomainError) as error:
        create_proposal(consultation, submitter=stakeholder, content=thematic_content(title="x" * 201))

    assert error.value.field == "title"
    assert error.value.message == "The title has 201 characters; at most 200 are allowed."


def test_create_proposal_description_over_2000_words_is_refused(consultation, stakeholder):
    with pytest.raises(DomainError) as error:
        create_proposal(consultation, submitter=stakeholder, content=thematic_content(description="word " * 2001))

    assert error.value.field == "description"


def test_submit_proposal_numbers_records_submitter_revision_and_email(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=format_content())

    submit_proposal(proposal, actor=stakeholder)

    assert proposal.status is ProposalStatus.SUBMITTED
    assert proposal.reference == "P-0001"
    assert (proposal.submitter_name, proposal.submitter_email, proposal.country, proposal.region) == (
        "Grace Otieno", stakeholder.email, "KE", "africa")
    assert [speaker.name for speaker in proposal.speakers] == ["Ana Souza", "Kwame Mensah"]
    revision = db.session.execute(sa.select(ProposalRevision)).scalar_one()
    assert revision.number == 1 and revision.data["title"] == "Community networks for rural schools"
    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert message.recipient == stakeholder.email
    assert message.subject == "Proposal P-0001 received: Community networks for rural schools"
    actions = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions[-2:] == ["proposal.create", "proposal.submit"]


def test_submit_proposal_later_profile_change_keeps_recorded_details(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=thematic_content())
    submit_proposal(proposal, actor=stakeholder)

    stakeholder.organization = "Another Org"
    stakeholder.stakeholder_type = StakeholderType.GOVERNMENT
    db.session.flush()

    assert proposal.organization == "Digital Inclusion Kenya"
    assert proposal.stakeholder_type is StakeholderType.CIVIL_SOCIETY


def test_submit_proposal_format_without_format_code_is_refused(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=format_content(format_code=None))

    with pytest.raises(DomainError) as error:
        submit_proposal(proposal, actor=stakeholder)

    assert error.value.field == "format_code"
    assert proposal.status is ProposalStatus.DRAFT


def test_submit_proposal_after_deadline_is_refused(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=thematic_content())
    call = consultation.phase(PhaseKind.CALL_OPEN)
    call.closes_at = utcnow() - timedelta(minutes=1)
    db.session.flush()

    with pytest.raises(PhaseClosedError):
        submit_proposal(proposal, actor=stakeholder)

    assert proposal.status is ProposalStatus.DRAFT


def test_update_proposal_of_submitted_one_adds_revision_with_diff(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=thematic_content())
    submit_proposal(proposal, actor=stakeholder)

    update_proposal(proposal, actor=stakeholder, content=thematic_content(summary="Connecting remote schools."))

    revisions = db.session.execute(sa.select(ProposalRevision).order_by(ProposalRevision.number)).scalars().all()
    assert [revision.number for revision in revisions] == [1, 2]
    changes = diff_revisions(revisions[0].data, revisions[1].data)
    assert [change.name for change in changes] == ["summary"]
    assert changes[0].segments == [("equal", "Connecting"), ("delete", "rural schools through community-run networks."),
                                   ("insert", "remote schools.")]


def test_update_proposal_by_another_user_is_refused(consultation, stakeholder, other_stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=thematic_content())

    with pytest.raises(NotAllowedError):
        update_proposal(proposal, actor=other_stakeholder, content=thematic_content(title="Hijacked"))

    assert proposal.title == "Community networks for rural schools"


def test_update_proposal_switching_to_thematic_drops_format_fields(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=format_content())

    update_proposal(proposal, actor=stakeholder, content=thematic_content())

    assert proposal.kind is ProposalKind.THEMATIC
    assert (proposal.format_code, proposal.duration_minutes, proposal.speakers) == (None, None, [])


def test_withdraw_proposal_records_reason(consultation, stakeholder):
    proposal = create_proposal(consultation, submitter=stakeholder, content=thematic_content())
    submit_proposal(proposal, actor=stakeholder)

    withdraw_proposal(proposal, actor=stakeholder, reason="Merged with a partner's proposal")

    assert proposal.status is ProposalStatus.WITHDRAWN
    assert proposal.withdraw_reason == "Merged with a partner's proposal"
    with pytest.raises(DomainError):
        withdraw_proposal(proposal, actor=stakeholder)
