"""Data exports: submissions and reviews as tables (written by consult/tabular.py).

The agenda's JSON and iCalendar are the agenda's own (consult/agenda/feeds.py), for the chair as for the public.
"""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consult.accounts.models import User
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from consult.review.models import Criterion, Review
from consult.review.ranking import aggregate_scores

# The import format of the proposals area (issue 3), first and in this order, so an export imports back.
IMPORT_COLUMNS = ("title", "summary", "description", "kind", "action_lines", "sdgs", "organization",
                  "stakeholder_type", "country", "submitter_name", "submitter_email", "source", "language")
SUBMISSION_COLUMNS = IMPORT_COLUMNS + ("reference", "status", "decision", "forum_part", "region", "format_code",
                                       "submitted_at")
def submission_rows(consultation_id: int) -> tuple[list[str], list[list]]:
    """Every submitted or withdrawn proposal, one row each, in the import format plus outcome columns."""
    proposals = db.session.execute(
        sa.select(Proposal).where(Proposal.consultation_id == consultation_id, Proposal.status != ProposalStatus.DRAFT)
        .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))
        .order_by(Proposal.number, Proposal.id)
    ).scalars()
    rows = []
    for p in proposals:
        rows.append([
            p.title, p.summary, p.description, p.kind.value, ";".join(p.action_line_codes),
            ";".join(str(number) for number in p.sdg_numbers), p.organization,
            p.stakeholder_type.value if p.stakeholder_type else "", p.country or "", p.submitter_name,
            p.submitter_email, p.source, p.language, p.reference, p.status.value, p.decision.value, p.forum_part.value,
            p.region or "", p.format_code or "", p.submitted_at.isoformat() if p.submitted_at else "",
        ])
    return list(SUBMISSION_COLUMNS), rows


def review_rows(consultation_id: int) -> tuple[list[str], list[list]]:
    """Every review with its scores per criterion, raw total and the proposal's calibrated score."""
    criteria = db.session.execute(
        sa.select(Criterion).where(Criterion.consultation_id == consultation_id).order_by(Criterion.position, Criterion.id)
    ).scalars().all()
    reviews = db.session.execute(
        sa.select(Review, Proposal.number, Proposal.title, User.name, User.email)
        .join(Proposal, Proposal.id == Review.proposal_id).join(User, User.id == Review.reviewer_id)
        .where(Proposal.consultation_id == consultation_id)
        .options(selectinload(Review.scores))
        .order_by(Proposal.number, Review.id)
    ).all()
    calibrated = {proposal_id: score.calibrated_z for proposal_id, score in aggregate_scores(
        [(review.reviewer_id, review.proposal_id, review.total_score) for review, *_rest in reviews
         if review.state.value == "submitted" and review.total_score is not None]).items()}
    header = ["proposal", "proposal_title", "reviewer_name", "reviewer_email", "state", "recommendation",
              *[f"score: {criterion.name}" for criterion in criteria], "total_score", "calibrated_score",
              "comment_to_committee", "comment_to_submitter", "submitted_at"]
    rows = []
    for review, number, title, reviewer_name, reviewer_email in reviews:
        scores = {score.criterion_id: score.value for score in review.scores}
        rows.append([
            f"P-{number:04d}" if number else "", title, reviewer_name, reviewer_email, review.state.value,
            review.recommendation.value if review.recommendation else "",
            *[scores.get(criterion.id, "") for criterion in criteria],
            round(review.total_score, 3) if review.total_score is not None else "",
            round(calibrated[review.proposal_id], 3) if review.proposal_id in calibrated else "",
            review.comment_to_committee, review.comment_to_submitter,
            review.submitted_at.isoformat() if review.submitted_at else "",
        ])
    return header, rows
