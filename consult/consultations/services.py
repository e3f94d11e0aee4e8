"""Writes of consultations and phases."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from consult.audit.queries import last_actor_id
from consult.audit.services import field_changes, record_audit
from consult.consultations.models import PHASE_LABELS, Consultation, Phase, PhaseKind, ReviewVisibility
from consult.consultations.times import format_local
from consult.db import utcnow
from consult.edit_conflict import SAVED_BY_OTHER, SAVED_BY_YOU, conflict_message
from consult.errors import DomainError, StaleVersionError
from consult.extensions import db
from consult.reference import stored_text


def check_version(obj, expected_version: str | int | None, *, actor=None) -> None:
    """Raise StaleVersionError when obj changed since the form showing expected_version was loaded.

    actor: who sends the form; the audit log's latest entry on obj tells whether that person saved it meanwhile
    (another tab or window) or someone else did, so that the message says which.
    """
    if expected_version in (None, ""):
        return
    if str(obj.version_id) != str(expected_version):
        saved_by = _saved_by(obj, actor)
        raise StaleVersionError(conflict_message(saved_by, "alone"), saved_by=saved_by)


def _saved_by(obj, actor) -> str | None:
    actor_id = getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None
    last = last_actor_id(obj)
    if actor_id is None or last is None:
        return None
    return SAVED_BY_YOU if last == actor_id else SAVED_BY_OTHER


def create_consultation(*, title: str, year: int, forum_start: date, forum_end: date, theme: str = "",
                        timezone_name: str = "Europe/Zurich",
                        phase_times: dict[PhaseKind, tuple[datetime, datetime]] | None = None, actor=None) -> Consultation:
    """A consultation with its five phases; without times given they are spread before the Forum."""
    consultation = Consultation(title=title, year=year, theme=theme, forum_start=forum_start, forum_end=forum_end,
                                timezone=timezone_name)
    phase_times = phase_times or default_phase_times(forum_start, forum_end)
    for position, kind in enumerate(PhaseKind):
        opens_at, closes_at = phase_times[kind]
        consultation.phases.append(Phase(kind=kind, position=position, name=stored_text(PHASE_LABELS[kind]),
                                         opens_at=opens_at, closes_at=closes_at, original_closes_at=closes_at))
    db.session.add(consultation)
    db.session.flush()
    record_audit("consultation.create", consultation, actor=actor, consultation_id=consultation.id, summary=title)
    return consultation


def default_phase_times(forum_start: date, forum_end: date) -> dict[PhaseKind, tuple[datetime, datetime]]:
    """A typical OCP calendar counted back from the Forum: six months of call, then review, drafting, comment."""
    start = datetime.combine(forum_start, datetime.min.time(), tzinfo=timezone.utc)
    end = datetime.combine(forum_end, datetime.min.time(), tzinfo=timezone.utc) + timedelta(days=1)
    call_close = start - timedelta(days=100)
    review_close = call_close + timedelta(days=21)
    drafting_close = review_close + timedelta(days=21)
    comment_close = drafting_close + timedelta(days=21)
    return {
        PhaseKind.CALL_OPEN: (call_close - timedelta(days=180), call_close),
        PhaseKind.REVIEW: (call_close, review_close),
        PhaseKind.AGENDA_DRAFTING: (review_close, drafting_close),
        PhaseKind.PUBLIC_COMMENT: (drafting_close, comment_close),
        PhaseKind.FINAL: (comment_close, end + timedelta(days=60)),
    }


def update_consultation(consultation: Consultation, *, actor, expected_version=None, **fields) -> Consultation:
    """Change the consultation's settings after a version check; a Forum week before the call opens is refused."""
    check_version(consultation, expected_version, actor=actor)
    _refuse_forum_before_call(consultation, fields.get("forum_start", consultation.forum_start),
                              fields.get("forum_end", consultation.forum_end))
    if "review_visibility" in fields and not isinstance(fields["review_visibility"], ReviewVisibility):
        fields["review_visibility"] = ReviewVisibility(fields["review_visibility"])
    if "timezone" in fields:
        fields["timezone"] = fields.pop("timezone")
    changed = field_changes({name: getattr(consultation, name) for name in fields}, fields)
    for name in changed:
        setattr(consultation, name, fields[name])
    db.session.flush()
    record_audit("consultation.update", consultation, actor=actor, consultation_id=consultation.id,
                 summary=", ".join(sorted(changed)), changes=changed)
    return consultation


def _refuse_forum_before_call(consultation: Consultation, forum_start: date, forum_end: date) -> None:
    """Raise, beside the field, when changed Forum dates start before the call for proposals opens (local days)."""
    if (forum_start, forum_end) == (consultation.forum_start, consultation.forum_end):
        return  # unchanged dates never block saving the other settings
    call = consultation.phase(PhaseKind.CALL_OPEN)
    if call is None:
        return
    opens = call.opens_at.astimezone(ZoneInfo(consultation.timezone))
    if forum_start < opens.date():
        raise DomainError(_("The Forum cannot start before the call for proposals opens (%(when)s): proposals are "
                            "called for the Forum, then reviewed and scheduled before it.",
                            when=format_local(call.opens_at, consultation.timezone)), field="forum_start")


def update_phase(phase: Phase, *, actor, name: str, description: str, opens_at: datetime, closes_at: datetime,
                 expected_version=None, shift_following: bool = False, allow_overlap: bool = False,
                 confirm_early_close: bool = False, now: datetime | None = None) -> Phase:
    """Change a phase's name and times, keeping the phases in order.

    shift_following moves every later phase by as much as the close time moved. A phase that would overlap its
    neighbour is refused, the reason beside the field, unless the chair confirms the overlap (allow_overlap). A close
    time moved into the past, or brought forward while the phase is open, shuts people out sooner than they were
    told: it is refused with the reason unless the chair confirms it (confirm_early_close).
    """
    check_version(phase, expected_version, actor=actor)
    opens_at, closes_at = as_utc(opens_at), as_utc(closes_at)
    if closes_at <= opens_at:
        raise DomainError(_("A phase must close after it opens."), field="closes_at")
    if not confirm_early_close:
        _refuse_early_close(phase, closes_at, now or utcnow())
    later = _shifted_later_phases(phase, closes_at - phase.closes_at if shift_following else timedelta(0))
    for other in phase.consultation.phases:
        if other.position < phase.position and other.opens_at > opens_at:
            raise DomainError(_("This phase cannot open before the phase “%(name)s”.", name=other.label), field="opens_at")
        other_opens = later.get(other.id, (other.opens_at, other.closes_at))[0]
        if other.position > phase.position and other_opens < opens_at:
            raise DomainError(_("This phase cannot open after the phase “%(name)s”.", name=other.label), field="opens_at")
    if not allow_overlap:
        _refuse_overlap(phase, opens_at, closes_at, later)
    before = {"name": phase.name, "description": phase.description, "opens_at": phase.opens_at, "closes_at": phase.closes_at}
    phase.name, phase.description, phase.opens_at, phase.closes_at = name, description or "", opens_at, closes_at
    db.session.flush()
    record_audit("phase.update", phase, actor=actor, consultation_id=phase.consultation_id, summary=phase.label,
                 changes=field_changes(before, {"name": phase.name, "description": phase.description,
                                                "opens_at": opens_at, "closes_at": closes_at}))
    _apply_shift(phase, later, actor=actor)
    return phase


def _refuse_early_close(phase: Phase, closes_at: datetime, now: datetime) -> None:
    """Raise, beside the confirmation box, when the new close time is past or earlier than announced for an open phase."""
    if closes_at == phase.closes_at:
        return
    zone = phase.consultation.timezone
    if closes_at <= now:
        raise DomainError(_("%(when)s is in the past: saving closes “%(name)s” at once, and nobody can act in it any "
                            "more. Tick the box to save anyway.", when=format_local(closes_at, zone), name=phase.label),
                          field="confirm_early_close")
    if phase.is_open_at(now) and closes_at < phase.closes_at:
        raise DomainError(_("“%(name)s” is open and was announced to close on %(announced)s: this brings its deadline "
                            "forward to %(when)s, and everyone sees it as brought forward. Tick the box to save anyway.",
                            name=phase.label, announced=format_local(phase.closes_at, zone),
                            when=format_local(closes_at, zone)), field="confirm_early_close")


def extend_deadline(phase: Phase, *, closes_at: datetime, actor, expected_version=None, shift_following: bool = False,
                    allow_overlap: bool = False) -> Phase:
    """Move a phase's close time later, and the later phases by as much when asked; the first deadline stays on record."""
    check_version(phase, expected_version, actor=actor)
    closes_at = as_utc(closes_at)
    if closes_at <= phase.closes_at:
        raise DomainError(_("The new deadline must be later than the current one."), field="closes_at")
    later = _shifted_later_phases(phase, closes_at - phase.closes_at if shift_following else timedelta(0))
    if not allow_overlap:
        _refuse_overlap(phase, phase.opens_at, closes_at, later)
    if phase.original_closes_at is None:
        phase.original_closes_at = phase.closes_at
    previous = phase.closes_at
    phase.closes_at = closes_at
    db.session.flush()
    record_audit("phase.extend_deadline", phase, actor=actor, consultation_id=phase.consultation_id, summary=phase.label,
                 changes={"closes_at": [previous, closes_at]},
                 details={"shifted_following": bool(later)})
    _apply_shift(phase, later, actor=actor)
    return phase


def _shifted_later_phases(phase: Phase, delta: timedelta) -> dict[int, tuple[datetime, datetime]]:
    """Phase id -> (opens, closes) of every later phase moved by delta; empty when nothing moves."""
    if not delta:
        return {}
    return {other.id: (other.opens_at + delta, other.closes_at + delta)
            for other in phase.consultation.phases if other.position > phase.position}


def _refuse_overlap(phase: Phase, opens_at: datetime, closes_at: datetime,
                    later: dict[int, tuple[datetime, datetime]]) -> None:
    """Raise, beside the field, when the phase would overlap the one before or after it."""
    ordered = sorted(phase.consultation.phases, key=lambda other: other.position)
    index = ordered.index(phase)
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    preceding = ordered[index - 1] if index > 0 else None
    if following is not None:
        following_opens = later.get(following.id, (following.opens_at, following.closes_at))[0]
        if closes_at > _to_minute(following_opens):
            raise DomainError(_(
                "This would close after the phase “%(name)s” opens (%(when)s), so both would run at once. "
                "Shift the following phases by the same amount, or confirm the overlap.",
                name=following.label, when=format_local(following_opens, "UTC")), field="closes_at")
    if preceding is not None and opens_at < _to_minute(preceding.closes_at):
        raise DomainError(_(
            "This would open before the phase “%(name)s” closes (%(when)s), so both would run at once. "
            "Confirm the overlap to save it anyway.",
            name=preceding.label, when=format_local(preceding.closes_at, "UTC")), field="opens_at")


def _to_minute(moment: datetime) -> datetime:
    # The form edits times to the minute: a stored time's seconds are no overlap.
    return moment.replace(second=0, microsecond=0)


def _apply_shift(phase: Phase, later: dict[int, tuple[datetime, datetime]], *, actor) -> None:
    """Move the later phases to their shifted times, each change audited."""
    for other in phase.consultation.phases:
        if other.id not in later:
            continue
        opens_at, closes_at = later[other.id]
        changes = {"opens_at": [other.opens_at, opens_at], "closes_at": [other.closes_at, closes_at]}
        other.opens_at, other.closes_at = opens_at, closes_at
        record_audit("phase.shift", other, actor=actor, consultation_id=other.consultation_id, summary=other.label,
                     changes=changes, details={"with": phase.label})
    db.session.flush()


def as_utc(moment: datetime) -> datetime:
    """A form's naive datetime read as UTC; an aware one converted to UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
