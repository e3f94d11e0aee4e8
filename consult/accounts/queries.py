"""Reads of users used by several views."""
import sqlalchemy as sa

from consult.accounts.models import Role, User
from consult.extensions import db


def search_users(*, text: str = "", role: str = "", page: int = 1, per_page: int = 50):
    """A page of users matching a search text and role, ordered by name."""
    query = sa.select(User).order_by(User.name, User.id)
    if text:
        pattern = f"%{text.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(pattern), User.email.like(pattern),
                                   sa.func.lower(User.organization).like(pattern)))
    if role:
        query = query.where(User.role == Role(role))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_reviewers() -> list[User]:
    """Active reviewers and chairs, ordered by name."""
    return list(db.session.execute(
        sa.select(User).where(User.role.in_([Role.REVIEWER, Role.CHAIR]), User.is_active.is_(True)).order_by(User.name)
    ).scalars())
