"""The committee's discussion of one proposal: assigned reviewers and chairs comment, the others are told.

Blind-safe by construction: a comment names its author (a committee member) and the proposal by reference and
title, never the submitter; the submitter never takes part, even when they hold a committee role.
"""
import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from consult.accounts.language import writing_to
from consult.accounts.models import Role, User
from consult.accounts.permissions import is_chair
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, NotAllowedError
from consult.extensions import db
from consult.outbox.services import queue_email
from consult.proposals.models import Proposal, ProposalStatus
from consult.review.models import AssignmentState, Conflict, DiscussionComment, ReviewAssignment
from consult.review.permissions import has_conflict, is_assigned

DISCUSSION_PHASES = (PhaseKind.REVIEW, PhaseKind.AGENDA_DRAFTING)
BODY_MAX = 5000


def can_discuss(user, proposal: Proposal) -> bool:
    """Whether user takes part in the discussion: the chair or an assigned reviewer, not the submitter or the conflicted."""
    if not (user and user.is_authenticated) or proposal.status is not ProposalStatus.SUBMITTED:
        return False
    if proposal.submitter_id == user.id or has_conflict(user, proposal):
        return False
    return is_chair(user) or is_assigned(user, proposal)


def discussion_members(proposal: Proposal) -> list[User]:
    """Who takes part: the assigned reviewers and the active chairs, without the submitter and the conflicted."""
    conflicted = sa.select(Conflict.reviewer_id).where(Conflict.proposal_id == proposal.id)
    assigned = sa.select(ReviewAssignment.reviewer_id).where(ReviewAssignment.proposal_id == proposal.id,
                                                             ReviewAssignment.state == AssignmentState.ASSIGNED)
    query = (sa.select(User).where(User.is_active.is_(True), sa.or_(User.role == Role.CHAIR, User.id.in_(assigned)),
                                   User.id.not_in(conflicted))
             .order_by(User.name, User.id))
    if proposal.submitter_id is not None:
        query = query.where(User.id != proposal.submitter_id)
    return list(db.session.execute(query).scalars())


def discussion_of(proposal: Proposal) -> list[DiscussionComment]:
    """The proposal's comments, oldest first, with their authors."""
    return list(db.session.execute(
        sa.select(DiscussionComment).where(DiscussionComment.proposal_id == proposal.id)
        .options(joinedload(DiscussionComment.author))
        .order_by(DiscussionComment.created_at, DiscussionComment.id)
    ).scalars())


def add_discussion_comment(proposal: Proposal, *, author, body: str) -> DiscussionComment:
    """Add author's comment and queue an e-mail to every other member of the discussion."""
    if not can_discuss(author, proposal):
        raise NotAllowedError(_("Only the chair and the reviewers assigned to this proposal take part in its discussion."))
    ensure_phase_open(proposal.consultation, *DISCUSSION_PHASES)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a comment first."), field="body")
    if len(body) > BODY_MAX:
        raise DomainError(_("At most %(max)d characters.", max=BODY_MAX), field="body")
    comment = DiscussionComment(proposal_id=proposal.id, author_id=author.id, body=body)
    db.session.add(comment)
    db.session.flush()
    link = url_for("discussion.thread", proposal_id=proposal.id, _external=True) if has_request_context() else ""
    for member in discussion_members(proposal):
        if member.id == author.id:
            continue
        with writing_to(member):
            queue_email(
                member.email,
                _("New comment on %(reference)s: %(title)s", reference=proposal.reference, title=proposal.title),
                _("%(author)s wrote in the committee's discussion of %(reference)s “%(title)s”:\n\n%(body)s\n\n"
                  "Answer in the discussion: %(link)s\n", author=author.name, reference=proposal.reference,
                  title=proposal.title, body=body, link=link),
                category="review.discussion", consultation_id=proposal.consultation_id,
            )
    record_audit("review.discuss", comment, actor=author, consultation_id=proposal.consultation_id,
                 summary=proposal.reference)
    return comment
