"""What the agenda area holds about a person, for their data download: their comments on the draft agenda."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from consult.accounts.privacy import personal_data_requested
from consult.agenda.models import SessionComment
from consult.extensions import db


@personal_data_requested.connect
def comments_of(user, **_extra):
    """The comments user wrote on sessions, hidden ones included."""
    comments = db.session.execute(
        sa.select(SessionComment).where(SessionComment.author_id == user.id).order_by(SessionComment.id)
        .options(joinedload(SessionComment.session))
    ).scalars()
    return "comments", [{"session": comment.session.title, "body": comment.body, "is_hidden": comment.is_hidden,
                         "created_at": comment.created_at.isoformat()} for comment in comments]
