"""The language of a person: saved on the account, chosen in the switcher or on the profile, used for e-mails.

An e-mail is composed in its recipient's language, not the sender's: a service writes it inside
`writing_to(recipient)`, where messages, dates and numbers come out in the language the recipient saved (the
site's default for an address without an account, or an account that chose none). Bulk senders look every
recipient's language up at once with `languages_of` and write inside `composing_in(code)` per recipient.
"""
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.accounts.services import normalise_email
from consult.audit.services import record_audit
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import is_offered
from consult.outbox.language import composing_in, site_language


def set_language(user: User, code: str) -> User:
    """Save the language pages and e-mails are written in for user; refused when the site does not offer it."""
    if not is_offered(code):
        raise DomainError(_("Choose one of the languages offered."), field="locale")
    if user.locale != code:
        previous, user.locale = user.locale, code
        db.session.flush()
        record_audit("user.set_language", user, actor=user, summary=f"{previous or '-'} -> {code}",
                     details={"from": previous, "to": code})
    return user


def language_of(recipient: User | str | None) -> str:
    """The language to write to recipient in: an account's saved language, else the site's default."""
    if isinstance(recipient, User):
        return recipient.locale if is_offered(recipient.locale) else site_language()
    return languages_of([recipient] if recipient else []).get(normalise_email(recipient or ""), site_language())


def languages_of(emails: Iterable[str]) -> dict[str, str]:
    """Normalised address -> language, for every address given (one query; the site's default for the unknown)."""
    addresses = {normalise_email(email) for email in emails if email}
    saved = {}
    if addresses:
        saved = dict(db.session.execute(
            sa.select(User.email, User.locale).where(User.email.in_(sorted(addresses)), User.locale.is_not(None))
        ).all())
    return {address: saved[address] if is_offered(saved.get(address)) else site_language() for address in addresses}


@contextmanager
def writing_to(recipient: User | str | None, *, language: str | None = None) -> Iterator[str]:
    """Compose an e-mail to recipient inside this block: in their language (see the module's docstring), or in
    `language` when one is given and offered (an invitation in the language the chair chose for it)."""
    with composing_in(language if is_offered(language) else language_of(recipient)) as code:
        yield code
