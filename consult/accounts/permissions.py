"""Named permission predicates and the role gate decorator."""
from functools import wraps

from flask import abort
from flask_login import current_user

from consult.accounts.models import Role


def has_role(user, role: Role) -> bool:
    """Whether user is signed in, active and holds role or a higher one."""
    return bool(user and user.is_authenticated and user.is_active and user.has_role(role))


def is_chair(user) -> bool:
    """Whether user is a signed-in chair."""
    return has_role(user, Role.CHAIR)


def is_reviewer(user) -> bool:
    """Whether user is a signed-in reviewer or chair."""
    return has_role(user, Role.REVIEWER)


def role_required(role: Role):
    """Refuse the view with 401 (anonymous, redirected to login) or 403 unless the user holds role."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from consult.extensions import login_manager

                return login_manager.unauthorized()
            if not has_role(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
