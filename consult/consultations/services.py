"""Writes of consultations and phases."""
from datetime import date, datetime, timedelta, timezone

from flask_babel import gettext as _

from consult.audit.services import record_audit
from consult.consultations.models import PHASE_LABELS, Consultation, Phase, PhaseKind, ReviewVisibility
from consult.errors import DomainError, EditConflictError
from consult.extensions import db
from consult.reference import stored_text


def check_version(obj, expected_version: str | int | None) -> None:
    """Raise EditConflictError when obj changed since the form showing expected_version was loaded."""
    if expected_version in (None, ""):
        return
    if str(obj.version_id) != str(expected_version):
        raise EditConflictError(
            _("Someone else saved this in the meantime. Their version is shown now; apply your change again.")
        )


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
    """Change the consultation's settings after a version check."""
    check_version(consultation, expected_version)
    if "review_visibility" in fields and not isinstance(fields["review_visibility"], ReviewVisibility):
        fields["review_visibility"] = ReviewVisibility(fields["review_visibility"])
    if "timezone" in fields:
        fields["timezone"] = fields.pop("timezone")
    changed = {}
    for name, value in fields.items():
        if getattr(consultation, name) != value:
            changed[name] = str(value)
            setattr(consultation, name, value)
    db.session.flush()
    record_audit("consultation.update", consultation, actor=actor, consultation_id=consultation.id,
                 summary=", ".join(sorted(changed)), details=changed)
    return consultation


def update_phase(phase: Phase, *, actor, name: str, description: str, opens_at: datetime, closes_at: datetime,
                 expected_version=None) -> Phase:
    """Change a phase's name and times, keeping the phases in order."""
    check_version(phase, expected_version)
    opens_at, closes_at = as_utc(opens_at), as_utc(closes_at)
    if closes_at <= opens_at:
        raise DomainError(_("A phase must close after it opens."), field="closes_at")
    for other in phase.consultation.phases:
        if other.position < phase.position and other.opens_at > opens_at:
            raise DomainError(_("This phase cannot open before the phase “%(name)s”.", name=other.label), field="opens_at")
        if other.position > phase.position and other.opens_at < opens_at:
            raise DomainError(_("This phase cannot open after the phase “%(name)s”.", name=other.label), field="opens_at")
    before = {"opens_at": phase.opens_at.isoformat(), "closes_at": phase.closes_at.isoformat()}
    phase.name, phase.description, phase.opens_at, phase.closes_at = name, description or "", opens_at, closes_at
    db.session.flush()
    record_audit("phase.update", phase, actor=actor, consultation_id=phase.consultation_id, summary=phase.label,
                 details={"before": before, "after": {"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()}})
    return phase


def extend_deadline(phase: Phase, *, closes_at: datetime, actor, expected_version=None) -> Phase:
    """Move a phase's close time later; the first announced deadline stays on record."""
    check_version(phase, expected_version)
    closes_at = as_utc(closes_at)
    if closes_at <= phase.closes_at:
        raise DomainError(_("The new deadline must be later than the current one."), field="closes_at")
    if phase.original_closes_at is None:
        phase.original_closes_at = phase.closes_at
    previous = phase.closes_at
    phase.closes_at = closes_at
    db.session.flush()
    record_audit("phase.extend_deadline", phase, actor=actor, consultation_id=phase.consultation_id, summary=phase.label,
                 details={"from": previous.isoformat(), "to": closes_at.isoformat()})
    return phase


def as_utc(moment: datetime) -> datetime:
    """A form's naive datetime read as UTC; an aware one converted to UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
