"""Rules every write of the clustering area obeys: who may work on clusters, and when."""
from flask_babel import gettext as _

from consult.accounts.permissions import is_reviewer
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.errors import NotAllowedError


def ensure_can_edit_clusters(consultation: Consultation, actor, *, now=None) -> None:
    """Raise unless actor is a reviewer or the chair and the agenda-drafting phase is open."""
    if not is_reviewer(actor):
        raise NotAllowedError(_("Only reviewers and the chair work on clusters."))
    ensure_phase_open(consultation, PhaseKind.AGENDA_DRAFTING, now=now)
