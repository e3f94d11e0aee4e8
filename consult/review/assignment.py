"""Assignment of reviewers to proposals: automatic (a min-cost flow) and by hand, under the same rules.

Rules never broken: a reviewer is never assigned a proposal they submitted, one from their own organization
(organization names compared after normalisation), one they declared a conflict with, or one they declined.

The automatic assignment is a min-cost max-flow (OR-Tools SimpleMinCostFlow):
source -> proposal (capacity: reviewers still missing) -> (proposal, stakeholder type) -> reviewer -> sink.
The arcs proposal -> (proposal, type) cost nothing for the first reviewer of a type in the panel and
DUPLICATE_TYPE_COST for every further one, so mixed panels are preferred. The arcs reviewer -> sink are unit
arcs whose cost grows with the reviewer's load (a convex cost), so the load is balanced; one last arc of
large capacity keeps the flow maximal when few reviewers are eligible. Existing assignments are kept and
counted in both the panels and the loads. Maximum flow first, then minimum cost: every proposal gets k
reviewers whenever k eligible reviewers exist.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from math import ceil

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.accounts.language import writing_to
from consult.accounts.models import Role, User
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.times import format_local
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.outbox.services import queue_email
from consult.proposals.models import Proposal, ProposalStatus
from consult.review.models import AssignmentState, Conflict, Review, ReviewAssignment, ReviewState
from consult.urls import absolute_url

DUPLICATE_TYPE_COST = 500
LOAD_COST = 10
OVERFLOW_COST = 100_000
_ORG_NOISE = re.compile(r"[^a-z0-9]+")


def normalise_organization(name: str | None) -> str:
    """An organization name folded for comparison: accents, case, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return _ORG_NOISE.sub(" ", folded).strip()


@dataclass(frozen=True)
class Candidate:
    """A proposal as the assignment sees it."""

    id: int
    submitter_id: int | None
    organization: str
    assigned: tuple[int, ...] = ()


@dataclass(frozen=True)
class Member:
    """A reviewer as the assignment sees it."""

    id: int
    organization: str
    stakeholder_type: str


@dataclass
class AssignmentPlan:
    """New (proposal, reviewer) pairs, and the proposals left short with the reason."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    short: dict[int, str] = field(default_factory=dict)


def is_eligible(proposal: Candidate, reviewer: Member, blocked: set[tuple[int, int]]) -> bool:
    """Whether reviewer may review proposal: not the submitter, not the same organization, no conflict or decline."""
    if proposal.submitter_id == reviewer.id or (proposal.id, reviewer.id) in blocked:
        return False
    return not (proposal.organization and proposal.organization == reviewer.organization)


def _eligibility(proposals: list[Candidate], reviewers: list[Member], blocked: set[tuple[int, int]]) -> np.ndarray:
    """Boolean matrix proposal x reviewer of `is_eligible`, minus the pairs already assigned, built with numpy."""
    codes: dict[str, int] = {"": -1}
    proposal_orgs = np.array([codes.setdefault(proposal.organization, len(codes)) for proposal in proposals], dtype=np.int64)
    reviewer_orgs = np.array([codes.setdefault(reviewer.organization, len(codes)) for reviewer in reviewers], dtype=np.int64)
    reviewer_ids = np.array([reviewer.id for reviewer in reviewers], dtype=np.int64)
    submitters = np.array(
        [proposal.submitter_id if proposal.submitter_id is not None else -1 for proposal in proposals], dtype=np.int64
    )
    eligible = submitters[:, None] != reviewer_ids[None, :]
    eligible &= (proposal_orgs[:, None] != reviewer_orgs[None, :]) | (proposal_orgs[:, None] == -1)
    row = {proposal.id: index for index, proposal in enumerate(proposals)}
    column = {reviewer.id: index for index, reviewer in enumerate(reviewers)}
    excluded = [(row[proposal_id], column[reviewer_id]) for proposal_id, reviewer_id in blocked
                if proposal_id in row and reviewer_id in column]
    excluded += [(index, column[reviewer_id]) for index, proposal in enumerate(proposals)
                 for reviewer_id in proposal.assigned if reviewer_id in column]
    if excluded:
        rows, columns = zip(*excluded, strict=True)
        eligible[list(rows), list(columns)] = False
    return eligible


def plan_assignment(proposals: list[Candidate], reviewers: list[Member], *, k: int,
                    blocked: set[tuple[int, int]], loads: dict[int, int] | None = None) -> AssignmentPlan:
    """Pairs that bring every proposal to k reviewers where possible, keeping the existing ones (pure function).

    The graph is built with numpy (one eligibility matrix, arcs as arrays): 5,000 x 100 pairs take a fraction of
    a second; the arcs are those the module docstring describes.
    """
    from ortools.graph.python import min_cost_flow

    loads = dict(loads or {})
    plan = AssignmentPlan()
    needs = np.array([k - len(proposal.assigned) for proposal in proposals], dtype=np.int64)
    if not reviewers or not (needs > 0).any():
        for proposal, need in zip(proposals, needs, strict=True):
            if need > 0:
                plan.short[proposal.id] = ngettext(
                    "only %(num)d eligible reviewer left (submitter, same organization, conflicts and declines excluded)",
                    "only %(num)d eligible reviewers left (submitter, same organization, conflicts and declines excluded)",
                    0,
                )
        return plan
    eligible = _eligibility(proposals, reviewers, blocked)
    eligible[needs <= 0] = False
    counts = eligible.sum(axis=1)
    for index in np.flatnonzero((needs > 0) & (counts < needs)):
        plan.short[proposals[index].id] = ngettext(
            "only %(num)d eligible reviewer left (submitter, same organization, conflicts and declines excluded)",
            "only %(num)d eligible reviewers left (submitter, same organization, conflicts and declines excluded)",
            int(counts[index]),
        )
    active = np.flatnonzero((needs > 0) & (counts > 0))
    if not len(active):
        return plan
    eligible, needs = eligible[active], np.minimum(needs[active], counts[active])

    types = sorted({reviewer.stakeholder_type for reviewer in reviewers})
    type_index = {name: index for index, name in enumerate(types)}
    reviewer_types = np.array([type_index[reviewer.stakeholder_type] for reviewer in reviewers], dtype=np.int64)
    member_type = {reviewer.id: type_index[reviewer.stakeholder_type] for reviewer in reviewers}
    already = np.zeros((len(active), len(types)), dtype=np.int64)  # existing panel members per type
    for position, index in enumerate(active):
        for reviewer_id in proposals[index].assigned:
            if reviewer_id in member_type:
                already[position, member_type[reviewer_id]] += 1
    members = np.stack([eligible[:, reviewer_types == t].sum(axis=1) for t in range(len(types))], axis=1)

    source, sink = 0, 1
    first_proposal_node = 2 + len(reviewers)
    first_type_node = first_proposal_node + len(active)
    proposal_nodes = first_proposal_node + np.arange(len(active), dtype=np.int64)
    type_nodes = first_type_node + np.arange(len(active), dtype=np.int64)[:, None] * len(types) + np.arange(len(types))[None, :]
    parts = [(np.full(len(active), source), proposal_nodes, needs, np.zeros(len(active), dtype=np.int64))]
    # proposal -> (proposal, type): one unit arc per slot, the first of a type in the panel free, further ones dearer.
    slots = np.minimum(needs[:, None], members)
    for slot in range(int(slots.max(initial=0))):
        rows, columns = np.nonzero(slots > slot)
        parts.append((proposal_nodes[rows], type_nodes[rows, columns], np.ones(len(rows), dtype=np.int64),
                      DUPLICATE_TYPE_COST * (already[rows, columns] + slot)))
    # (proposal, type) -> reviewer: the eligible pairs.
    pair_rows, pair_columns = np.nonzero(eligible)
    first_pair_arc = sum(len(part[0]) for part in parts)
    parts.append((type_nodes[pair_rows, reviewer_types[pair_columns]], 2 + pair_columns,
                  np.ones(len(pair_rows), dtype=np.int64), np.zeros(len(pair_rows), dtype=np.int64)))
    # reviewer -> sink: unit arcs of growing cost (balanced loads), then one overflow arc.
    total_need = int(needs.sum())
    average = ceil((total_need + sum(loads.values())) / len(reviewers))
    for position, reviewer in enumerate(reviewers):
        load = loads.get(reviewer.id, 0)
        steps = max(0, min(total_need, 2 * average + 5 - load))
        node = 2 + position
        parts.append((np.full(steps + 1, node), np.full(steps + 1, sink),
                      np.append(np.ones(steps, dtype=np.int64), total_need),
                      np.append(LOAD_COST * (load + np.arange(steps, dtype=np.int64)), OVERFLOW_COST)))

    starts, ends, capacities, costs = (np.concatenate([part[column] for part in parts]).astype(np.int64) for column in range(4))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(starts, ends, capacities, costs)
    flow.set_node_supply(source, total_need)
    flow.set_node_supply(sink, -total_need)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise DomainError(_("The assignment solver failed; nothing was changed."))
    flows = flow.flows(np.arange(first_pair_arc, first_pair_arc + len(pair_rows), dtype=np.int64))
    chosen = np.flatnonzero(flows)
    plan.pairs = [(proposals[active[pair_rows[i]]].id, reviewers[pair_columns[i]].id) for i in chosen]
    return plan


def load_assignment_inputs(consultation: Consultation, *, include_chairs: bool = False):
    """Proposals, reviewers, blocked pairs and current loads of a consultation, in four queries."""
    roles = [Role.REVIEWER, Role.CHAIR] if include_chairs else [Role.REVIEWER]
    reviewers = [
        Member(id=row.id, organization=normalise_organization(row.organization), stakeholder_type=row.stakeholder_type.value)
        for row in db.session.execute(
            sa.select(User.id, User.organization, User.stakeholder_type)
            .where(User.role.in_(roles), User.is_active.is_(True))
            .order_by(User.id)
        )
    ]
    rows = db.session.execute(
        sa.select(ReviewAssignment.proposal_id, ReviewAssignment.reviewer_id, ReviewAssignment.state)
        .join(Proposal, Proposal.id == ReviewAssignment.proposal_id).where(Proposal.consultation_id == consultation.id)
    ).all()
    assigned: dict[int, list[int]] = {}
    blocked: set[tuple[int, int]] = set()
    loads: dict[int, int] = {}
    for proposal_id, reviewer_id, state in rows:
        if state is AssignmentState.ASSIGNED:
            assigned.setdefault(proposal_id, []).append(reviewer_id)
            loads[reviewer_id] = loads.get(reviewer_id, 0) + 1
        else:
            blocked.add((proposal_id, reviewer_id))
    blocked.update(db.session.execute(
        sa.select(Conflict.proposal_id, Conflict.reviewer_id).join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(Proposal.consultation_id == consultation.id)))
    proposals = [Candidate(id=row.id, submitter_id=row.submitter_id, organization=normalise_organization(row.organization),
                           assigned=tuple(assigned.get(row.id, ())))
                 for row in db.session.execute(sa.select(Proposal.id, Proposal.submitter_id, Proposal.organization)
                                               .where(Proposal.consultation_id == consultation.id,
                                                      Proposal.status == ProposalStatus.SUBMITTED).order_by(Proposal.id))]
    return proposals, reviewers, blocked, loads


# Reviewers are assigned while proposals come in and during the review, never after the review closed.
ASSIGNMENT_PHASES = (PhaseKind.CALL_OPEN, PhaseKind.REVIEW)


def assignment_closed_reason(consultation: Consultation, now=None) -> str:
    """Why reviewers cannot be assigned now, with the date; empty while they can (the services check it again)."""
    now = now or utcnow()
    phases = [consultation.phase(kind) for kind in ASSIGNMENT_PHASES]
    phases = [phase for phase in phases if phase is not None]
    if any(phase.is_open_at(now) for phase in phases):
        return ""
    if phases and now < phases[0].opens_at:
        return _("Reviewers can be assigned from %(when)s, when the call for proposals opens.",
                 when=format_local(phases[0].opens_at, consultation.timezone))
    if phases and now >= phases[-1].closes_at:
        return _("The review closed on %(when)s: reviewers can no longer be assigned, and the panels stay as they are.",
                 when=format_local(phases[-1].closes_at, consultation.timezone))
    return _("Reviewers can be assigned only while the call for proposals or the review is open.")


def assign_automatically(consultation: Consultation, *, actor=None, include_chairs: bool = False) -> AssignmentPlan:
    """Bring every submitted proposal to k reviewers, keeping the existing assignments; report the short ones."""
    ensure_phase_open(consultation, *ASSIGNMENT_PHASES)
    proposals, reviewers, blocked, loads = load_assignment_inputs(consultation, include_chairs=include_chairs)
    if not reviewers:
        raise DomainError(_("There is no active reviewer to assign."))
    plan = plan_assignment(proposals, reviewers, k=consultation.reviewers_per_proposal, blocked=blocked, loads=loads)
    if plan.pairs:
        # A Core executemany with one timestamp for the batch: the ORM's bulk path spent more than the solver.
        now = utcnow()
        db.session.execute(sa.insert(ReviewAssignment.__table__), [
            {"proposal_id": proposal_id, "reviewer_id": reviewer_id, "state": AssignmentState.ASSIGNED,
             "decline_reason": "", "is_automatic": True, "created_at": now, "updated_at": now}
            for proposal_id, reviewer_id in plan.pairs])
    db.session.flush()
    tell_reviewers(consultation, plan.pairs)
    record_audit("review.assign_automatically", consultation, actor=actor, consultation_id=consultation.id,
                 summary=ngettext("%(num)d assignment made, %(short)s", "%(num)d assignments made, %(short)s", len(plan.pairs),
                                  short=ngettext("%(num)d proposal short", "%(num)d proposals short", len(plan.short))),
                 details={"short": {str(key): value for key, value in plan.short.items()}})
    return plan


def assignment_refusal(proposal: Proposal, reviewer: User) -> str | None:
    """Why reviewer may not be assigned proposal, or None when they may."""
    if not reviewer.is_active or not reviewer.has_role(Role.REVIEWER):
        return _("%(name)s is not a member of the review committee.", name=reviewer.name)
    if proposal.submitter_id == reviewer.id:
        return _("%(name)s submitted this proposal.", name=reviewer.name)
    if proposal.organization and normalise_organization(proposal.organization) == normalise_organization(reviewer.organization):
        return _("%(name)s belongs to the organization that submitted this proposal.", name=reviewer.name)
    if db.session.execute(sa.select(Conflict.id).where(Conflict.proposal_id == proposal.id,
                                                       Conflict.reviewer_id == reviewer.id)).first() is not None:
        return _("%(name)s declared a conflict with this proposal.", name=reviewer.name)
    existing = db.session.execute(sa.select(ReviewAssignment).where(
        ReviewAssignment.proposal_id == proposal.id, ReviewAssignment.reviewer_id == reviewer.id)).scalar_one_or_none()
    if existing is not None and existing.state is AssignmentState.DECLINED:
        return _("%(name)s declined this proposal: %(reason)s", name=reviewer.name, reason=existing.decline_reason)
    if existing is not None:
        return _("%(name)s is already assigned to this proposal.", name=reviewer.name)
    return None


def assign_reviewer(proposal: Proposal, reviewer: User, *, actor) -> ReviewAssignment:
    """The chair assigns a reviewer by hand, under the same rules as the automatic assignment."""
    ensure_phase_open(proposal.consultation, *ASSIGNMENT_PHASES)
    if proposal.status is not ProposalStatus.SUBMITTED:
        raise DomainError(_("Only submitted proposals are reviewed."), field="reviewer_id")
    refusal = assignment_refusal(proposal, reviewer)
    if refusal:
        raise DomainError(refusal, field="reviewer_id")
    assignment = ReviewAssignment(proposal_id=proposal.id, reviewer_id=reviewer.id, state=AssignmentState.ASSIGNED)
    db.session.add(assignment)
    db.session.flush()
    tell_reviewers(proposal.consultation, [(proposal.id, reviewer.id)])
    record_audit("review.assign", assignment, actor=actor, consultation_id=proposal.consultation_id,
                 summary=f"{proposal.reference} → {reviewer.name}")
    return assignment


def tell_reviewers(consultation: Consultation, pairs) -> int:
    """E-mail each reviewer the proposals just assigned to them, with links to review them; the count sent."""
    by_reviewer: dict[int, list[int]] = {}
    for proposal_id, reviewer_id in pairs:
        by_reviewer.setdefault(reviewer_id, []).append(proposal_id)
    if not by_reviewer:
        return 0
    reviewers = {user.id: user for user in db.session.execute(sa.select(User).where(User.id.in_(by_reviewer))).scalars()}
    proposal_ids = [pid for ids in by_reviewer.values() for pid in ids]
    proposals = {p.id: p for p in db.session.execute(sa.select(Proposal).where(Proposal.id.in_(proposal_ids))).scalars()}
    review_phase = next((phase for phase in consultation.phases if phase.kind is PhaseKind.REVIEW), None)
    for reviewer_id, ids in sorted(by_reviewer.items()):
        reviewer = reviewers.get(reviewer_id)
        if reviewer is None or not reviewer.email:
            continue
        with writing_to(reviewer):
            closes = (_("Reviews close on %(when)s (%(zone)s).", zone=consultation.timezone,
                        when=format_local(review_phase.closes_at, consultation.timezone)) if review_phase else "")
            lines = "\n".join(f"- {proposals[pid].reference} “{proposals[pid].title}”: "
                               f"{absolute_url('review.score_proposal', proposal_id=pid)}" for pid in sorted(ids))
            body = _("Dear %(name)s,\n\nThese proposals of %(consultation)s are assigned to you for review:\n"
                     "%(lines)s\n\n%(closes)s\nYour queue: %(queue)s\n", name=reviewer.name,
                     consultation=consultation.title, lines=lines, closes=closes, queue=absolute_url("review.queue"))
            subject = ngettext("%(num)d proposal to review", "%(num)d proposals to review", len(ids))
            queue_email(reviewer.email, subject, body, category="review_assignment", consultation_id=consultation.id)
    return len(by_reviewer)


def remove_assignment(assignment: ReviewAssignment, *, actor) -> None:
    """The chair removes an assignment; a draft review goes with it, a submitted one forbids it."""
    review = db.session.execute(sa.select(Review).where(Review.proposal_id == assignment.proposal_id,
                                                        Review.reviewer_id == assignment.reviewer_id)).scalar_one_or_none()
    if review is not None and review.state is ReviewState.SUBMITTED:
        raise DomainError(_("This reviewer has submitted a review; the assignment stays."))
    if review is not None:
        db.session.delete(review)
    proposal = assignment.proposal
    record_audit("review.unassign", assignment, actor=actor, consultation_id=proposal.consultation_id,
                 summary=f"{proposal.reference} → {assignment.reviewer.name}")
    db.session.delete(assignment)
    db.session.flush()
