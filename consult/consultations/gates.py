"""Phase gates: refuse an action outside its phase, on the server, with a clear message."""
from datetime import datetime
from functools import wraps

from flask_babel import gettext as _

from consult.consultations.models import PHASE_LABELS, Consultation, PhaseKind
from consult.consultations.queries import consultation_or_404, is_phase_open
from consult.consultations.times import format_local
from consult.db import utcnow
from consult.errors import PhaseClosedError
from consult.i18n import joined


def ensure_phase_open(consultation: Consultation, *kinds: PhaseKind, now: datetime | None = None) -> None:
    """Raise PhaseClosedError unless one of the phases of these kinds is open at now."""
    now = now or utcnow()
    if any(is_phase_open(consultation, kind, now) for kind in kinds):
        return
    names = joined([str(PHASE_LABELS[kind]) for kind in kinds], style="or")
    phase = consultation.phase(kinds[0])
    # Written as the phase banner writes it: the consultation's time zone, the reader's language.
    if phase is not None and now >= phase.closes_at:
        message = _("This is only possible during the phase “%(phase)s”, which closed on %(when)s.",
                    phase=names, when=format_local(phase.closes_at, consultation.timezone))
    elif phase is not None:
        message = _("This is only possible during the phase “%(phase)s”, which opens on %(when)s.",
                    phase=names, when=format_local(phase.opens_at, consultation.timezone))
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
