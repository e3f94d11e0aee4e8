"""The accounts blueprint, shared by the view modules of the area (sign-in, recovery, invitations, two factors, privacy)."""
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from consult.accounts.services import registration_problems
from consult.accounts.tokens import InvalidTokenError
from consult.errors import FormInvalid
from consult.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/account")

# Where each page opened from an e-mailed link sends a person whose link no longer works.
LINK_RETRY = {
    "accounts.reset_password": ("accounts.forgot_password", _l("Ask for a new link")),
    "accounts.verify_email": ("accounts.profile", _l("Go to your profile")),
    "accounts.confirm_email_change": ("accounts.change_email", _l("Change your address again")),
    "accounts.accept_invitation": ("main.index", _l("Go to the home page")),
}


@bp.errorhandler(InvalidTokenError)
def link_not_valid(error: InvalidTokenError):
    """A tampered, expired or used link: the reason and what to do next, as 400 (the boundary's rule for links)."""
    db.session.rollback()
    endpoint, label = LINK_RETRY.get(request.endpoint, ("main.index", _l("Go to the home page")))
    return render_template("accounts/link_invalid.html", message=error.message, retry_url=url_for(endpoint),
                           retry_label=label), error.status_code


def password_check_limit() -> str:
    """The throttle of every form that checks a password (sign-in's), so none can be used to guess one."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def is_refused(response) -> bool:
    """Only refused attempts use up a limit: a successful sign-in or code (a redirect) is not an attack."""
    return response.status_code >= 400


def ensure_registration_valid(form, *, email: str | None) -> None:
    """Raise FormInvalid unless a sign-up form passes its own checks, with the account's checks beside them.

    The form's checks and the service's (an address taken, the privacy notice left unticked) are shown in one
    round: a field the form already faulted keeps its own message only.
    """
    if form.validate_on_submit():
        return
    problems = registration_problems(email=email, password=form.password.data, country=form.country.data,
                                     consents_to=form.accepted_notice_version(), is_self_registration=True)
    for name, message in problems.items():
        field = getattr(form, name)
        if not field.errors:
            field.errors = [message]
    raise FormInvalid()
