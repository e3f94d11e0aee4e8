"""Phase gates: refuse an action outside its phase, on the server, with a clear message."""
from datetime import datetime
from functools import wraps

from flask_babel import format_datetime
from flask_babel import gettext as _

from consult.consultations.models import PHASE_LABELS, Consultation, PhaseKind
from consult.consultations.queries import consultation_or_404, is_phase_open
from consult.db import utcnow
from consult.errors import PhaseClosedError


def ensure_phase_open(consultation: Consultation, *kinds: PhaseKind, now: datetime | None = None) -> None:
    """Raise PhaseClosedError unless one of the phases of these kinds is open at now."""
    now = now or utcnow()
    if any(is_phase_open(consultation, kind, now) for kind in kinds):
        return
    names = ", ".join(str(PHASE_LABELS[kind]) for kind in kinds)
    phase = consultation.phase(kinds[0])
    if phase is not None and now >= phase.closes_at:
        message = _("This is only possible during the phase “%(phase)s”, which closed on %(when)s UTC.",
                    phase=names, when=format_datetime(phase.closes_at, "yyyy-MM-dd HH:mm", rebase=False))
    elif phase is not None:
        message = _("This is only possible during the phase “%(phase)s”, which opens on %(when)s UTC.",
                    phase=names, when=format_datetime(phase.opens_at, "yyyy-MM-dd HH:mm", rebase=False))
    else:
        message = _("This is only possible during the phase “%(phase)s”.", phase=names)
    raise PhaseClosedError(message)


def phase_required(*kinds: PhaseKind):
    """View decorator: 404 without a consultation, 403 with the reason outside the phases given."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            ensure_phase_open(consultation_or_404(), *kinds)
            return view(*args, **kwargs)

        return wrapped

    return decorator
