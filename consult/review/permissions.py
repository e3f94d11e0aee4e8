"""Named permission predicates of the review area; each handles the anonymous user first."""
import sqlalchemy as sa

from consult.accounts.permissions import is_chair, is_reviewer
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from consult.review.models import AssignmentState, Conflict, ReviewAssignment


def has_conflict(user, proposal: Proposal) -> bool:
    """Whether user declared a conflict with proposal."""
    return db.session.execute(
        sa.select(Conflict.id).where(Conflict.reviewer_id == user.id, Conflict.proposal_id == proposal.id)
    ).first() is not None


def is_assigned(user, proposal: Proposal) -> bool:
    """Whether user holds an open (not declined) assignment to proposal."""
    return db.session.execute(
        sa.select(ReviewAssignment.id).where(ReviewAssignment.reviewer_id == user.id,
                                             ReviewAssignment.proposal_id == proposal.id,
                                             ReviewAssignment.state == AssignmentState.ASSIGNED)
    ).first() is not None


def can_review(user, proposal: Proposal) -> bool:
    """Whether user may open and score proposal: an assigned reviewer, or the chair, never the submitter or a conflicted one."""
    if not is_reviewer(user):
        return False
    if proposal.status is not ProposalStatus.SUBMITTED or proposal.submitter_id == user.id:
        return False
    if has_conflict(user, proposal):
        return False
    return is_chair(user) or is_assigned(user, proposal)
