"""The automatic reviewer assignment on the queue: at scale it runs in the background, its page shows progress."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.accounts.permissions import is_chair
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.errors import NotAllowedError
from consult.extensions import db
from consult.jobs.models import WorkJob, WorkKind
from consult.jobs.work import Progress, request_work, requester, run_work
from consult.proposals.models import Proposal, ProposalStatus
from consult.review import assignment

ASSIGN_JOB = "consult.review.assignment_job.assign_job"
# The page lists this many of the proposals left short; the outcome counts them all.
SHORT_SHOWN = 20


def proposals_to_assign(consultation: Consultation) -> int:
    """How many submitted proposals the assignment considers."""
    return db.session.execute(
        sa.select(sa.func.count(Proposal.id))
        .where(Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.SUBMITTED)
    ).scalar_one()


def runs_as_job(consultation: Consultation) -> bool:
    """Whether the assignment goes to the queue: more submitted proposals than ASSIGNMENT_JOB_THRESHOLD."""
    return proposals_to_assign(consultation) > current_app.config["ASSIGNMENT_JOB_THRESHOLD"]


def _ensure_chair(actor) -> None:
    if not is_chair(actor):
        raise NotAllowedError(_("Only the chair assigns reviewers."))


def request_assignment(consultation: Consultation, *, actor, include_chairs: bool) -> WorkJob:
    """Queue an automatic assignment (refused now, not in the worker, outside the call and the review)."""
    _ensure_chair(actor)
    ensure_phase_open(consultation, PhaseKind.CALL_OPEN, PhaseKind.REVIEW)
    return request_work(consultation.id, WorkKind.REVIEW_ASSIGNMENT, function=ASSIGN_JOB,
                        parameters={"include_chairs": bool(include_chairs)}, requested_by_id=actor.id)


def assign_job(job_id: int, attempt: int) -> None:
    """The queue job: one assignment run. It keeps the assignments made, so a second run adds nothing more."""
    run_work(job_id, attempt, _assign)


def _assign(job: WorkJob, progress: Progress) -> dict:
    consultation = db.session.get(Consultation, job.consultation_id)
    actor = requester(job, User)
    _ensure_chair(actor)
    progress(5)
    plan = assignment.assign_automatically(consultation, actor=actor, include_chairs=job.parameters["include_chairs"])
    shown = sorted(plan.short.items())[:SHORT_SHOWN]
    return {"assigned": len(plan.pairs), "short_count": len(plan.short),
            "short": [[proposal_id, reason] for proposal_id, reason in shown]}
