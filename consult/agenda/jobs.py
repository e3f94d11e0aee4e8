"""The automatic scheduler on the queue: a large agenda is placed in the background, its page shows progress."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.agenda import services
from consult.agenda.models import AgendaSession
from consult.consultations.models import Consultation
from consult.errors import DomainError
from consult.extensions import db
from consult.jobs.models import WorkJob, WorkKind
from consult.jobs.work import Progress, advancing, request_work, requester, run_work

SCHEDULE_JOB = "consult.agenda.jobs.schedule_job"


def sessions_to_place(consultation: Consultation) -> int:
    """How many sessions a scheduler run would place (those not pinned)."""
    return db.session.execute(
        sa.select(sa.func.count(AgendaSession.id))
        .where(AgendaSession.consultation_id == consultation.id, AgendaSession.is_pinned.is_(False))
    ).scalar_one()


def runs_as_job(consultation: Consultation) -> bool:
    """Whether the scheduler goes to the queue: more sessions to place than SCHEDULING_JOB_THRESHOLD."""
    return sessions_to_place(consultation) > current_app.config["SCHEDULING_JOB_THRESHOLD"]


def request_scheduling(consultation: Consultation, *, actor, time_limit: float, keep: str) -> WorkJob:
    """Queue a scheduler run (refused now, not in the worker, when the actor, phase or freeze does not allow it)."""
    services.ensure_chair_planning(consultation, actor)
    if keep not in services.KEEP_CHOICES:
        raise DomainError(_("Choose what the scheduler keeps."), field="keep")
    return request_work(consultation.id, WorkKind.AGENDA_SCHEDULE, function=SCHEDULE_JOB,
                        parameters={"time_limit": float(time_limit), "keep": keep}, requested_by_id=actor.id)


def schedule_job(job_id: int, attempt: int) -> None:
    """The queue job: one scheduler run. Run again on the same draft it keeps what the first placed, so twice is once."""
    run_work(job_id, attempt, _schedule)


def _schedule(job: WorkJob, progress: Progress) -> dict:
    consultation = db.session.get(Consultation, job.consultation_id)
    actor = requester(job, User)
    time_limit = job.parameters["time_limit"]
    progress(5)
    result = services.run_scheduler(consultation, actor=actor, time_limit=time_limit, keep=job.parameters["keep"],
                                    solving=lambda: advancing(progress, start=5, end=95, seconds=time_limit))
    return {"placed": len(result.placements), "unplaced": len(result.unplaced), "moved": result.moved,
            "soft_goal_misses": result.soft_goal_misses, "seconds": round(result.wall_seconds, 1)}
