"""Signed, expiring tokens for the links e-mailed by the accounts area (reset, verification, invitation)."""
import hashlib

from flask import current_app
from flask_babel import npgettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from consult.errors import DomainError
from consult.extensions import db
from consult.urls import absolute_url

# Each purpose signs with its own salt, so that a token made for one cannot be used for another.
PASSWORD_RESET = "password-reset"  # noqa: S105  # nosec B105 (a salt name, not a password)
EMAIL_VERIFICATION = "email-verification"
EMAIL_CHANGE = "email-change"
INVITATION = "invitation"

MAX_AGE_SETTINGS = {
    PASSWORD_RESET: "PASSWORD_RESET_MAX_AGE",
    EMAIL_VERIFICATION: "EMAIL_VERIFICATION_MAX_AGE",
    EMAIL_CHANGE: "EMAIL_VERIFICATION_MAX_AGE",
    INVITATION: "INVITATION_MAX_AGE",
}


class InvalidTokenError(DomainError):
    """A link that is tampered with, expired or already used."""

    status_code = 400


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult-{purpose}")


def make_token(purpose: str, payload: dict) -> str:
    """A URL-safe signed token carrying payload, stamped with the time it was made."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, *, expired_message: str, invalid_message: str) -> dict:
    """The payload of a token made for purpose, if its signature holds and it is younger than its maximum age."""
    max_age = current_app.config[MAX_AGE_SETTINGS[purpose]]
    try:
        payload = _serializer(purpose).loads(token or "", max_age=max_age)
    except SignatureExpired:
        raise InvalidTokenError(expired_message) from None
    except BadSignature:
        raise InvalidTokenError(invalid_message) from None
    if not isinstance(payload, dict):
        raise InvalidTokenError(invalid_message)
    return payload


def object_of_token(purpose: str, token: str, model, *, key: str, still_valid, expired_message: str,
                    invalid_message: str):
    """The model row whose id the token carries under key, if the token holds and still_valid(row, payload) is true.

    still_valid is the single-use check: the token names a state (a password hash, an address, a nonce) that
    using it changes, so a used or superseded link fails here.
    """
    payload = read_token(purpose, token, expired_message=expired_message, invalid_message=invalid_message)
    ident = payload.get(key)
    row = db.session.get(model, ident) if isinstance(ident, int) else None
    if row is None or not still_valid(row, payload):
        raise InvalidTokenError(invalid_message)
    return row


def fingerprint(secret: str) -> str:
    """A short digest of a stored secret (a password hash): a token carrying it dies when the secret changes."""
    return hashlib.sha256((secret or "").encode()).hexdigest()[:20]


def external_link(endpoint: str, **values) -> str:
    """An absolute URL for an e-mail (consult/urls.py: on PUBLIC_BASE_URL when set)."""
    return absolute_url(endpoint, **values)

def within_days(days: int) -> str:
    """How long an e-mailed link lasts, as the counted phrase of "open this link within …" in the reader's language."""
    return npgettext("open this link within …", "%(num)d day", "%(num)d days", days)
