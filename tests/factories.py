"""Factories for the models, for tests and benchmarks: plain functions that add and flush."""
import itertools
from datetime import datetime, timedelta

from consult.accounts.models import Role, User
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.services import create_consultation
from consult.db import utcnow
from consult.extensions import db
from consult.proposals.models import (
    Decision,
    Proposal,
    ProposalActionLine,
    ProposalKind,
    ProposalSdg,
    ProposalStatus,
    Speaker,
)
from consult.reference import StakeholderType, region_for_country
from consult.review.models import Criterion, Review, ReviewAssignment, ReviewState, Score

_sequence = itertools.count(1)
PASSWORD = "correct horse battery"
PHASE_ORDER = list(PhaseKind)


def make_user(*, role: Role = Role.STAKEHOLDER, name: str | None = None, email: str | None = None,
              organization: str | None = None, stakeholder_type: StakeholderType = StakeholderType.CIVIL_SOCIETY,
              country: str = "KE", password: str = PASSWORD, is_verified: bool = True) -> User:
    """A user with a unique e-mail address."""
    number = next(_sequence)
    user = User(
        name=name or f"User {number}",
        email=(email or f"user{number}@example.org").lower(),
        organization=organization or f"Organization {number}",
        stakeholder_type=stakeholder_type,
        country=country,
        region=region_for_country(country),
        role=role,
        email_verified_at=utcnow() if is_verified else None,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def make_consultation(*, current: PhaseKind | None = PhaseKind.CALL_OPEN, now: datetime | None = None,
                      title: str = "WSIS Forum Test Consultation", year: int | None = None) -> Consultation:
    """A consultation whose phase `current` is open now (None: every phase still to come)."""
    now = now or utcnow()
    day = timedelta(days=1)
    if current is None:
        start = now + 10 * day
    else:
        start = now - (PHASE_ORDER.index(current) * 20 + 10) * day
    times = {}
    for index, kind in enumerate(PHASE_ORDER):
        times[kind] = (start + index * 20 * day, start + (index + 1) * 20 * day)
    forum_start = (times[PhaseKind.FINAL][0] + 10 * day).date()
    consultation = create_consultation(title=title, year=year or forum_start.year, forum_start=forum_start,
                                       forum_end=forum_start + 4 * day, phase_times=times)
    return consultation


def make_proposal(consultation: Consultation, submitter: User | None = None, *, kind: ProposalKind = ProposalKind.THEMATIC,
                  status: ProposalStatus = ProposalStatus.SUBMITTED, title: str | None = None,
                  summary: str = "A short summary of the proposal.", description: str = "A longer description.",
                  action_lines: tuple[str, ...] = ("C4",), sdgs: tuple[int, ...] = (4,),
                  decision: Decision = Decision.PENDING, speakers: int = 0, announced: bool = True, **fields) -> Proposal:
    """A proposal, submitted by default, with the submitter's details recorded as at submission."""
    number = next(_sequence)
    proposal = Proposal(
        consultation_id=consultation.id,
        submitter_id=submitter.id if submitter else None,
        kind=kind,
        status=status,
        title=title or f"Proposal {number}",
        summary=summary,
        description=description,
        decision=decision,
        submitter_name=submitter.name if submitter else fields.pop("submitter_name", "Imported submitter"),
        submitter_email=submitter.email if submitter else fields.pop("submitter_email", ""),
        organization=submitter.organization if submitter else fields.pop("organization", "Imported organization"),
        stakeholder_type=submitter.stakeholder_type if submitter else fields.pop("stakeholder_type", StakeholderType.GOVERNMENT),
        country=submitter.country if submitter else fields.pop("country", "CH"),
        **fields,
    )
    proposal.region = region_for_country(proposal.country)
    # A decision made here counts as announced to the submitter, unless the test holds it (announced=False).
    if announced:
        proposal.announced_decision, proposal.announced_reason_id = decision, proposal.decision_reason_id
        proposal.announced_note = proposal.decision_note or ""
    if status is not ProposalStatus.DRAFT:
        proposal.number = number
        proposal.submitted_at = utcnow()
    if kind is ProposalKind.FORMAT:
        proposal.format_code = proposal.format_code or "thematic_workshop"
        proposal.duration_minutes = proposal.duration_minutes or 60
        proposal.expected_audience = proposal.expected_audience or 40
    proposal.action_lines = [ProposalActionLine(code=code) for code in action_lines]
    proposal.sdgs = [ProposalSdg(sdg=sdg) for sdg in sdgs]
    proposal.speakers = [
        Speaker(position=index, name=f"Speaker {number}-{index}", organization=f"Speaker org {index}",
                stakeholder_type=StakeholderType.ACADEMIA, country="FR", gender="female" if index % 2 else "male")
        for index in range(speakers)
    ]
    db.session.add(proposal)
    db.session.flush()
    return proposal


def make_criterion(consultation: Consultation, *, name: str | None = None, weight: float = 1.0,
                   scale_min: int = 1, scale_max: int = 5, position: int = 0) -> Criterion:
    """A scoring criterion."""
    criterion = Criterion(consultation_id=consultation.id, name=name or f"Criterion {next(_sequence)}", weight=weight,
                          scale_min=scale_min, scale_max=scale_max, position=position)
    db.session.add(criterion)
    db.session.flush()
    return criterion


def make_assignment(proposal: Proposal, reviewer: User) -> ReviewAssignment:
    """A reviewer assigned to a proposal."""
    assignment = ReviewAssignment(proposal_id=proposal.id, reviewer_id=reviewer.id)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def make_review(proposal: Proposal, reviewer: User, scores: dict[Criterion, int], *,
                state: ReviewState = ReviewState.SUBMITTED, **fields) -> Review:
    """A review with its scores; total_score is the weighted mean, as the review service computes it."""
    review = Review(proposal_id=proposal.id, reviewer_id=reviewer.id, state=state, **fields)
    review.scores = [Score(criterion_id=criterion.id, value=value) for criterion, value in scores.items()]
    weight = sum(criterion.weight for criterion in scores)
    review.total_score = sum(criterion.weight * value for criterion, value in scores.items()) / weight if weight else None
    if state is ReviewState.SUBMITTED:
        review.submitted_at = utcnow()
    db.session.add(review)
    db.session.flush()
    return review
