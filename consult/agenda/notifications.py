"""E-mails of the agenda through the outbox: sessions placed, moved or dropped by a published version, and draft reminders.

Each e-mail links to the page it is about and gives times in the consultation's time zone. Links are absolute:
inside a request they use its host; from the command line, PUBLIC_BASE_URL (default http://localhost).
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.accounts.language import languages_of
from consult.accounts.services import normalise_email
from consult.agenda.display import long_day
from consult.agenda.models import AgendaSession
from consult.agenda.versions import diff_versions
from consult.consultations.models import Consultation, Phase, PhaseKind
from consult.consultations.times import format_time_of_day
from consult.db import utcnow
from consult.extensions import db
from consult.outbox.language import composing_in
from consult.outbox.models import OutboxMessage
from consult.outbox.services import queue_email
from consult.proposals.models import Proposal, ProposalStatus
from consult.urls import absolute_url as link

# Days before the call closes when everyone with an open draft is reminded.
REMINDER_DAYS = (7, 1)


def _when(item: dict, zone: str) -> str:
    return f"{long_day(item['day'])}, {item['start']}–{item['end']} ({zone}), {item['room']}"


def session_recipients(session_ids: list[int]) -> dict[int, set[str]]:
    """Session id -> the e-mail addresses of its people (submitters and speakers keyed by e-mail)."""
    rows = db.session.execute(sa.select(AgendaSession).where(AgendaSession.id.in_(session_ids))).scalars()
    return {session.id: {p.person_key for p in session.people if "@" in p.person_key} for session in rows}


def notify_publication(consultation: Consultation, version, previous_snapshot: list[dict]) -> int:
    """Tell the people of every session that the version places for the first time, moves or drops; the count sent."""
    changes = diff_versions(previous_snapshot, version.snapshot)
    new_by_id = {item["id"]: item for item in version.snapshot}
    old_by_id = {item["id"]: item for item in previous_snapshot}
    notices = [(entry["id"], kind, entry) for kind in ("added", "moved", "removed") for entry in changes[kind]]
    recipients = session_recipients([session_id for session_id, _kind, _entry in notices])
    languages = languages_of(address for addresses in recipients.values() for address in addresses)
    sent = 0
    for session_id, kind, entry in notices:
        page = (link("agenda.public_session", session_id=session_id) if session_id in new_by_id
                else link("agenda.public_agenda"))
        for recipient in sorted(recipients.get(session_id, ())):
            with composing_in(languages.get(normalise_email(recipient))):
                subject, text = _publication_notice(kind, entry, new_by_id, old_by_id, consultation.timezone)
                body = _("%(text)s\n\nVersion %(number)d of the agenda of %(consultation)s: %(page)s\n",
                         text=text, number=version.number, consultation=consultation.title, page=page)
                queue_email(recipient, subject, body, category="agenda_publication", consultation_id=consultation.id)
            sent += 1
    return sent


def _publication_notice(kind: str, entry: dict, new_by_id: dict, old_by_id: dict, zone: str) -> tuple[str, str]:
    """The subject and first sentence telling a session's people it was placed, moved or dropped (in the language now)."""
    if kind == "added":
        item = new_by_id[entry["id"]]
        return (_("Your session “%(title)s” is on the agenda", title=item["title"]),
                _("It is placed on %(when)s.", when=_when(item, zone)))
    if kind == "moved":
        before, after = old_by_id[entry["id"]], new_by_id[entry["id"]]
        return (_("Your session “%(title)s” has moved", title=after["title"]),
                _("It moves from %(before)s to %(after)s.", before=_when(before, zone), after=_when(after, zone)))
    return (_("Your session “%(title)s” is no longer on the agenda", title=entry["title"]),
            _("It is not part of this version; the secretariat will tell you what becomes of it."))


def send_draft_reminders(consultation: Consultation, *, now: datetime | None = None) -> int:
    """Remind everyone with an open draft 7 days and 1 day before the call closes, once each; the count sent.

    Idempotent, for cron: a reminder already in the outbox for that recipient, consultation and day is not sent again.
    """
    now = now or utcnow()
    call = db.session.execute(sa.select(Phase).where(
        Phase.consultation_id == consultation.id, Phase.kind == PhaseKind.CALL_OPEN)).scalar_one_or_none()
    if call is None or not call.opens_at <= now < call.closes_at:
        return 0
    left = call.closes_at - now
    due = [days for days in REMINDER_DAYS if left <= timedelta(days=days)]
    if not due:
        return 0
    days = min(due)
    category = f"draft_reminder_{days}d"
    drafts = db.session.execute(sa.select(Proposal).where(
        Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.DRAFT)
        .order_by(Proposal.id)).scalars()
    by_recipient: dict[str, list[Proposal]] = {}
    for proposal in drafts:
        recipient = proposal.submitter.email if proposal.submitter else proposal.submitter_email
        if recipient:
            by_recipient.setdefault(recipient, []).append(proposal)
    already = set(db.session.execute(sa.select(OutboxMessage.recipient).where(
        OutboxMessage.consultation_id == consultation.id, OutboxMessage.category == category)).scalars())
    languages = languages_of(by_recipient)
    sent = 0
    for recipient, proposals in sorted(by_recipient.items()):
        if recipient in already:
            continue
        with composing_in(languages.get(normalise_email(recipient))):
            titles = "\n".join(f"- {p.title or _('(untitled draft)')}: {link('proposals.edit', proposal_id=p.id)}"
                               for p in proposals)
            body = _("The call for proposals of %(consultation)s closes on %(day)s at %(time)s (%(zone)s).\n\n"
                     "These drafts are not submitted yet:\n%(titles)s\n",
                     consultation=consultation.title,
                     day=long_day(call.closes_at.astimezone(ZoneInfo(consultation.timezone)).date()),
                     time=format_time_of_day(call.closes_at, consultation.timezone), zone=consultation.timezone,
                     titles=titles)
            subject = (ngettext("Tomorrow the call closes: %(num)d draft not submitted",
                                "Tomorrow the call closes: %(num)d drafts not submitted", len(proposals)) if days == 1
                       else ngettext("%(days)d days left: %(num)d draft not submitted",
                                     "%(days)d days left: %(num)d drafts not submitted", len(proposals), days=days))
            queue_email(recipient, subject, body, category=category, consultation_id=consultation.id)
        sent += 1
    return sent

