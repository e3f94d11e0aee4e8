"""Cluster suggestions on the queue: a large consultation computes them in the background, its page shows progress."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.clustering import suggestions as suggesting
from consult.clustering.models import ClusterMember
from consult.clustering.services import ensure_can_edit_clusters
from consult.consultations.models import Consultation
from consult.errors import DomainError
from consult.extensions import db
from consult.jobs.models import WorkJob, WorkKind
from consult.jobs.work import Progress, request_work, requester, run_work
from consult.proposals.models import Decision, Proposal, ProposalStatus

SUGGEST_JOB = "consult.clustering.jobs.suggest_clusters_job"


def proposals_to_suggest(consultation: Consultation, scope: str) -> int:
    """How many proposals a suggestion run would group (the scope of suggestions.scope_proposals, counted)."""
    query = (sa.select(sa.func.count(Proposal.id))
             .where(Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.SUBMITTED,
                    ~sa.exists().where(ClusterMember.proposal_id == Proposal.id)))
    if scope == "accepted":
        query = query.where(Proposal.decision.in_([Decision.ACCEPTED, Decision.MERGE]))
    return db.session.execute(query).scalar_one()


def runs_as_job(consultation: Consultation, scope: str) -> bool:
    """Whether a run over this scope goes to the queue: more proposals than CLUSTERING_JOB_THRESHOLD."""
    return proposals_to_suggest(consultation, scope) > current_app.config["CLUSTERING_JOB_THRESHOLD"]


def request_suggestions(consultation: Consultation, *, actor, scope: str, k: int | None) -> WorkJob:
    """Queue a suggestion run (refused now, not in the worker, when the actor or the phase does not allow it)."""
    ensure_can_edit_clusters(consultation, actor)
    if scope not in suggesting.SCOPES:
        raise DomainError(_("Choose accepted or all submitted proposals."), field="scope")
    return request_work(consultation.id, WorkKind.CLUSTER_SUGGESTIONS, function=SUGGEST_JOB,
                        parameters={"scope": scope, "k": k}, requested_by_id=actor.id)


def suggest_clusters_job(job_id: int, attempt: int) -> None:
    """The queue job: one suggestion run, which replaces the consultation's previous suggestions (so twice is once)."""
    run_work(job_id, attempt, _suggest)


def _suggest(job: WorkJob, progress: Progress) -> dict:
    consultation = db.session.get(Consultation, job.consultation_id)
    actor = requester(job, User)
    scope = job.parameters["scope"]
    proposals = proposals_to_suggest(consultation, scope)
    progress(5)
    stored = suggesting.suggest_clusters(consultation, actor=actor, scope=scope, k=job.parameters.get("k"))
    return {"suggestions": len(stored), "proposals": proposals}
