"""What became of a proposal, for its submitter: decision and reason, released reviewer feedback, merge requests,
and the session it went into (day, time, room, link to the published agenda).

Reads every area up to the agenda and writes none, like the reports; the proposals pages reach it through the
template global `proposal_outcomes`, set up by `register_outcomes`, since proposals sits below the areas it reads.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from consult.agenda.models import AgendaSession, AgendaVersionKind
from consult.agenda.queries import latest_snapshot, latest_version
from consult.clustering.models import ClusterMember, ConsentState, MergeConsent
from consult.consultations.times import format_local
from consult.extensions import db
from consult.proposals.models import Decision, Proposal, ProposalStatus
from consult.reference import in_reader_language
from consult.review.models import DecisionReason, Review, ReviewState


@dataclass
class SessionPlace:
    """The session a proposal went into, and when and where it is (empty while not scheduled)."""

    title: str
    when: str = ""
    room: str = ""
    url: str = ""


@dataclass
class Outcome:
    """What the submitter is told about one proposal."""

    decision: Decision
    reason: str = ""
    note: str = ""
    feedback: list[str] = field(default_factory=list)
    open_requests: int = 0
    session: SessionPlace | None = None
    # The kind of the latest published agenda when the proposal is in none of its sessions (None: none published).
    agenda_kind: AgendaVersionKind | None = None

    @property
    def next_step(self) -> str:
        """One sentence on where the proposal stands and what happens next."""
        if self.open_requests:
            return _("A merge request waits for your answer before the committee goes on.")
        if self.session is not None and self.session.when:
            return _("In the session “%(title)s”.", title=self.session.title)
        if self.session is not None:
            return _("In the session “%(title)s”; its day and room are not set yet.", title=self.session.title)
        if self.decision in (Decision.ACCEPTED, Decision.MERGE) and self.agenda_kind is AgendaVersionKind.FINAL:
            return _("Accepted, but it is in no session of the final agenda.")
        if self.decision in (Decision.ACCEPTED, Decision.MERGE) and self.agenda_kind is AgendaVersionKind.DRAFT:
            return _("Accepted; it is in no session of the published draft agenda yet. The committee may still "
                     "place it before the final agenda.")
        if self.decision is Decision.ACCEPTED:
            return _("Accepted: the committee is building the sessions of the draft agenda.")
        if self.decision is Decision.MERGE:
            return _("To be merged with related proposals into one session.")
        if self.decision is Decision.DECLINED:
            return _("Declined.")
        return _("The committee is reviewing it.")


def outcomes_for(proposals: list[Proposal]) -> dict[int, Outcome]:
    """The outcome of each submitted proposal, in a fixed number of queries whatever their number."""
    submitted = [p for p in proposals if p.status is ProposalStatus.SUBMITTED]
    if not submitted:
        return {}
    ids = [p.id for p in submitted]
    consultation = submitted[0].consultation
    # The submitter is told the decision the chair has announced, never one still held (consult/review/announcements.py).
    reason_ids = {p.announced_reason_id for p in submitted if p.announced_reason_id}
    reasons = {reason_id: in_reader_language(label) for reason_id, label in db.session.execute(
        sa.select(DecisionReason.id, DecisionReason.label).where(DecisionReason.id.in_(reason_ids)))}
    feedback: dict[int, list[str]] = {}
    if consultation.is_feedback_released:
        for proposal_id, text in db.session.execute(
                sa.select(Review.proposal_id, Review.comment_to_submitter)
                .where(Review.proposal_id.in_(ids), Review.state == ReviewState.SUBMITTED, Review.comment_to_submitter != "")
                .order_by(Review.submitted_at, Review.id)):
            feedback.setdefault(proposal_id, []).append(text)
    pending_requests = dict(db.session.execute(
        sa.select(MergeConsent.proposal_id, sa.func.count(MergeConsent.id))
        .where(MergeConsent.proposal_id.in_(ids), MergeConsent.state == ConsentState.PENDING)
        .group_by(MergeConsent.proposal_id)).all())
    sessions = _sessions_of(ids, consultation)
    placed_decisions = (Decision.ACCEPTED, Decision.MERGE)
    unplaced = any(p.announced_decision in placed_decisions and p.id not in sessions for p in submitted)
    version = latest_version(consultation, with_snapshot=False) if unplaced else None
    return {p.id: Outcome(decision=p.announced_decision, reason=reasons.get(p.announced_reason_id, ""), note=p.announced_note,
                          feedback=feedback.get(p.id, []), open_requests=pending_requests.get(p.id, 0),
                          session=sessions.get(p.id), agenda_kind=version.kind if version else None)
            for p in submitted}


def _sessions_of(ids: list[int], consultation) -> dict[int, SessionPlace]:
    rows = db.session.execute(
        sa.select(ClusterMember.proposal_id, AgendaSession)
        .join(AgendaSession, AgendaSession.cluster_id == ClusterMember.cluster_id)
        .where(ClusterMember.proposal_id.in_(ids))
        .options(joinedload(AgendaSession.room))).all()
    if not rows:
        return {}
    _version, snapshot = latest_snapshot(consultation)
    published = {item["id"] for item in snapshot}
    places = {}
    for proposal_id, session in rows:
        when = format_local(session.starts_at, consultation.timezone, day_width="full") if session.starts_at else ""
        places[proposal_id] = SessionPlace(
            title=session.title, when=when, room=session.room.name if session.room else "",
            url=url_for("agenda.public_session", session_id=session.id) if session.id in published else "")
    return places


def register_outcomes(app: Flask) -> None:
    """Make `proposal_outcomes(proposals)` available to the templates."""
    app.jinja_env.globals["proposal_outcomes"] = outcomes_for
