"""Starting a signed-in session, with the second step for accounts that have two-factor sign-in."""
import time

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from consult.accounts.models import User
from consult.accounts.services import load_user_from_session_id

PENDING_KEY = "two_factor_pending"
PENDING_MAX_AGE = 5 * 60

# Flask-Login flashes these when a page needs a signed-in person (its own default is English only and says "log in").
SIGN_IN_NEEDED = _l("Sign in to see this page.")
SESSION_ENDED = _l("You are no longer signed in: you signed out on another device, or your session ended. "
                   "Sign in again to continue.")


def sign_in_message(message) -> str:
    """Flask-Login's localize_callback: the message in the reader's language, saying so when a session has ended.

    The browser's session still names the account it was signed in with (Flask-Login keeps `_user_id` when the
    loader refuses it: signed out everywhere, deactivated, or the password changed).
    """
    return str(SESSION_ENDED if session.get("_user_id") else message)


def start_session(user: User, remember: bool = False) -> None:
    """Sign user in on a fresh session: nothing from before (such as a fixed session) carries over."""
    session.clear()
    login_user(user, remember=remember)


def hold_for_second_factor(user: User, *, remember: bool, next_url: str) -> None:
    """The password was right: remember, for a few minutes, who waits for their code (not signed in yet)."""
    session.clear()
    session[PENDING_KEY] = {"user": user.get_id(), "remember": bool(remember), "next": next_url, "at": int(time.time())}


def user_waiting_for_second_factor() -> tuple[User | None, dict]:
    """The user who passed the password step in this browser and may now give a code, and the pending data."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_MAX_AGE:
        return None, {}
    user = load_user_from_session_id(str(pending.get("user", "")))
    if user is None or not user.has_two_factor:
        return None, {}
    return user, pending


def login_needs_second_factor(user: User) -> bool:
    """Whether sign-in continues with a code (two-factor sign-in switched on)."""
    return user.has_two_factor and not current_app.config.get("TWO_FACTOR_DISABLED", False)
