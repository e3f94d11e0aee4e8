"""The accounts blueprint, shared by the view modules of the area (sign-in, recovery, invitations, two factors, privacy)."""
from flask import Blueprint, current_app, render_template

bp = Blueprint("accounts", __name__, url_prefix="/account")


def invalid_link(error, retry_url: str, retry_label: str):
    """The page for an e-mailed link that is expired, used or tampered with: the reason and what to do, as 400."""
    return render_template("accounts/link_invalid.html", message=error.message, retry_url=retry_url,
                           retry_label=retry_label), 400


def password_check_limit() -> str:
    """The throttle of every form that checks a password (sign-in's), so none can be used to guess one."""
    return current_app.config["LOGIN_RATE_LIMIT"]
