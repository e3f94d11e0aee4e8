"""Reads of consultations and phases used across areas."""
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask import abort, g
from sqlalchemy.orm import selectinload

from consult.consultations.models import Consultation, Phase, PhaseKind
from consult.db import utcnow
from consult.extensions import db


def get_current_consultation() -> Consultation | None:
    """The newest consultation (by year, then creation), with its phases loaded."""
    return db.session.execute(
        sa.select(Consultation)
        .options(selectinload(Consultation.phases))
        .order_by(Consultation.year.desc(), Consultation.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def current_consultation() -> Consultation | None:
    """The current consultation, loaded once per request (`g` is emptied when a request starts)."""
    if "current_consultation" not in g:
        g.current_consultation = get_current_consultation()
    return g.current_consultation


def consultation_or_404() -> Consultation:
    """The current consultation, or 404 when there is none yet."""
    consultation = current_consultation()
    if consultation is None:
        abort(404)
    return consultation


def row_of_current_or_404(model, row_id: int):
    """The row of model with this id when it belongs to the current consultation, else 404."""
    row = db.session.get(model, row_id)
    if row is None or row.consultation_id != consultation_or_404().id:
        abort(404)
    return row


def list_consultations() -> list[Consultation]:
    """Every consultation, newest first."""
    return list(db.session.execute(sa.select(Consultation).order_by(Consultation.year.desc(), Consultation.id.desc())).scalars())


def current_phase(consultation: Consultation, now: datetime | None = None) -> Phase | None:
    """The phase open at now, or None between phases."""
    now = now or utcnow()
    return next((phase for phase in consultation.phases if phase.is_open_at(now)), None)


def next_deadline(consultation: Consultation, now: datetime | None = None) -> Phase | None:
    """The phase whose close time is the next one after now."""
    now = now or utcnow()
    upcoming = [phase for phase in consultation.phases if phase.closes_at > now]
    return min(upcoming, key=lambda phase: phase.closes_at, default=None)


def is_phase_open(consultation: Consultation, kind: PhaseKind, now: datetime | None = None) -> bool:
    """Whether the phase of this kind is open at now."""
    phase = consultation.phase(kind)
    return phase is not None and phase.is_open_at(now or utcnow())


# Checks of the areas above about the Forum dates (the agenda's days), registered by their blueprints: this area reads
# them without importing those areas (as proposals/withdrawal.py does for withdrawal consequences).
_forum_date_checks: list[Callable[[Consultation], list[str]]] = []


def register_forum_date_check(check: Callable[[Consultation], list[str]]) -> None:
    """Add a function that says, in sentences, what in another area the consultation's Forum dates leave outside."""
    if check not in _forum_date_checks:
        _forum_date_checks.append(check)


def forum_date_warnings(consultation: Consultation) -> list[str]:
    """What the registered checks say about the Forum dates: warnings, never refusals."""
    return [message for check in _forum_date_checks for message in check(consultation)]
