"""Who may do what in the agenda area (the services check the phases)."""
from consult.accounts.permissions import is_chair, is_reviewer


def can_edit_sessions(user) -> bool:
    """Committee members and the chair work on sessions."""
    return is_reviewer(user)


def can_plan_week(user) -> bool:
    """The chair defines the week, schedules, moves and publishes."""
    return is_chair(user)


def can_comment(user) -> bool:
    """Any signed-in, active user may comment on the draft agenda."""
    return bool(user and user.is_authenticated and user.is_active)


def can_moderate(user) -> bool:
    """The chair hides and shows comments."""
    return is_chair(user)
