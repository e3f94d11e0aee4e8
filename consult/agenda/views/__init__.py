"""The agenda area's blueprint; its routes live in the modules beside this one, by purpose."""
from flask import Blueprint, abort, g

from consult.agenda import queries
from consult.agenda.display import TEMPLATE_HELPERS
from consult.agenda.models import AgendaSession
from consult.agenda.withdrawals import session_consequences
from consult.consultations.queries import consultation_or_404, current_consultation, register_forum_date_check
from consult.extensions import db
from consult.proposals.withdrawal import register_withdrawal_consequences

bp = Blueprint("agenda", __name__, url_prefix="/agenda")


@bp.record_once
def _register_withdrawal_consequences(state) -> None:
    register_withdrawal_consequences(session_consequences)


def _session_or_404(session_id: int) -> AgendaSession:
    session = db.get_or_404(AgendaSession, session_id)
    if session.consultation_id != consultation_or_404().id:
        abort(404)
    return session


@bp.app_context_processor
def agenda_display():
    """Days and times of the agenda in the reader's locale, for every agenda template and the reports."""
    return TEMPLATE_HELPERS


@bp.app_context_processor
def agenda_navigation():
    """`agenda_published()` for the navigation: whether a version is published (asked once per request)."""

    def agenda_published() -> bool:
        if "agenda_published" not in g:
            consultation = current_consultation()
            g.agenda_published = (consultation is not None
                                  and queries.latest_version(consultation, with_snapshot=False) is not None)
        return g.agenda_published

    return {"agenda_published": agenda_published}


@bp.record_once
def _register_forum_date_check(state) -> None:
    register_forum_date_check(queries.days_outside_forum_week)


# The routes register themselves on bp when their modules are imported.
from consult.agenda.views import committee, public, schedule, week  # noqa: E402,F401
