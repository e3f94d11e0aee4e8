"""Who may see and change a proposal: named predicates that handle the anonymous user first."""
from consult.accounts.permissions import is_chair
from consult.proposals.models import Proposal, ProposalStatus


def is_submitter(user, proposal: Proposal) -> bool:
    """Whether user is the signed-in stakeholder who filed proposal."""
    return bool(user and user.is_authenticated and proposal.submitter_id is not None and proposal.submitter_id == user.id)


def is_publicly_visible(proposal: Proposal) -> bool:
    """Whether everyone may read proposal: submitted, not withdrawn, and the submissions are published."""
    return proposal.status is ProposalStatus.SUBMITTED and proposal.consultation.submissions_published


def can_view_proposal(user, proposal: Proposal) -> bool:
    """A draft is its submitter's alone; a submitted or withdrawn one is also the chair's; published ones everyone's.

    Reviewers read unpublished proposals only through the review area, which applies blind review and conflicts.
    """
    if is_publicly_visible(proposal) or is_submitter(user, proposal):
        return True
    if not (user and user.is_authenticated):
        return False
    return proposal.status is not ProposalStatus.DRAFT and is_chair(user)


def can_see_identity(user, subject) -> bool:
    """Whether user may see who is behind subject: a proposal, or (for sessions, clusters, lists) its consultation.

    The one rule of blind review, for every page, list, export, JSON, PDF and e-mail: identity is the submitter's
    name, e-mail, organization and country, and the names and organizations of speakers and session people. The
    chair always sees them and a submitter their own proposal's; while review is blind nobody else does (reviewers
    and the public alike), outside blind review whoever may see the proposal does.
    """
    proposal = subject if isinstance(subject, Proposal) else None
    if proposal is not None and is_submitter(user, proposal):
        return True
    if is_chair(user):
        return True
    consultation = proposal.consultation if proposal is not None else subject
    return not consultation.is_blind_review


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """Only the submitter edits, and only a draft or a submitted proposal (the phase is checked by the service)."""
    return is_submitter(user, proposal) and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)


def can_withdraw_proposal(user, proposal: Proposal) -> bool:
    """The submitter withdraws a submitted proposal; a draft, which nobody else has seen, is deleted instead."""
    return is_submitter(user, proposal) and proposal.status is ProposalStatus.SUBMITTED


def can_see_revisions(user, proposal: Proposal) -> bool:
    """The chair reads a proposal's revisions and their differences."""
    return is_chair(user) and proposal.status is not ProposalStatus.DRAFT
