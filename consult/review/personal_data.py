"""What the review area holds about a person, for their data download: the reviews and conflicts they wrote."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.privacy import personal_data_requested
from consult.extensions import db
from consult.review.models import Conflict, Review, Score


@personal_data_requested.connect
def reviews_of(user, **_extra):
    """The reviews user wrote, with scores per criterion, and the conflicts they declared."""
    reviews = db.session.execute(
        sa.select(Review).where(Review.reviewer_id == user.id).order_by(Review.id)
        .options(joinedload(Review.proposal), selectinload(Review.scores).joinedload(Score.criterion))
    ).scalars().unique()
    conflicts = db.session.execute(
        sa.select(Conflict).where(Conflict.reviewer_id == user.id).order_by(Conflict.id).options(joinedload(Conflict.proposal))
    ).scalars()
    return "reviews", {
        "reviews": [{
            "proposal": review.proposal.reference, "state": review.state.value,
            "recommendation": review.recommendation.value if review.recommendation else None,
            "scores": {score.criterion.name: score.value for score in review.scores},
            "total_score": review.total_score, "comment_to_committee": review.comment_to_committee,
            "comment_to_submitter": review.comment_to_submitter,
            "submitted_at": review.submitted_at.isoformat() if review.submitted_at else None,
        } for review in reviews],
        "conflicts": [{"proposal": conflict.proposal.reference, "reason": conflict.reason} for conflict in conflicts],
    }
