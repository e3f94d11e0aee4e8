"""Reads of the review area: the ranking, the reviewer's queue, progress, balance and missing scores.

Each list is built from a fixed number of queries (aggregates or one pass over one query's rows), whatever
the number of proposals.
"""
from dataclasses import dataclass
from math import ceil, sqrt

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import Role, User
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.pagination import ListPage
from consult.proposals.models import Decision, Proposal, ProposalActionLine, ProposalKind, ProposalStatus, Speaker
from consult.review.models import (
    AssignmentState,
    Conflict,
    Criterion,
    DecisionReason,
    Review,
    ReviewAssignment,
    ReviewState,
    Score,
)
from consult.review.ranking import NO_SPREAD, ProposalScore, is_disputed


@dataclass
class RankingRow:
    """One proposal of the ranking with its aggregated scores."""

    proposal_id: int
    number: int | None
    title: str
    kind: ProposalKind
    stakeholder_type: object
    region: str | None
    organization: str
    decision: Decision
    version_id: int
    assigned: int
    score: ProposalScore
    language: str = "en"

    @property
    def reference(self) -> str:
        return f"P-{self.number:04d}" if self.number else "draft"


def _scored_reviews(consultation: Consultation):
    """(reviewer, proposal, total) of every submitted review of the consultation: the input of calibration."""
    return (sa.select(Review.reviewer_id, Review.proposal_id, Review.total_score.label("total"))
            .join(Proposal, Proposal.id == Review.proposal_id)
            .where(Proposal.consultation_id == consultation.id, Review.state == ReviewState.SUBMITTED,
                   Review.total_score.is_not(None)))


def submitted_review_totals(consultation: Consultation) -> list[tuple[int, int, float]]:
    """(reviewer, proposal, total) of every submitted review of the consultation, as tuples."""
    return [tuple(row) for row in db.session.execute(_scored_reviews(consultation))]


def _squared(value):
    return value * value


def proposal_score_aggregates(scored):
    """Per proposal: review count, raw mean, calibrated z, variance and max - min of its totals, in SQL.

    The same maths as `ranking.aggregate_scores` (the spec): each total becomes a z-score against its reviewer's
    mean and population standard deviation (0 for a reviewer with one review or no spread); variances are
    computed in two passes, as the mean of squared deviations from the mean.
    """
    means = (sa.select(scored.c.reviewer_id, sa.func.count().label("count"), sa.func.avg(scored.c.total).label("mean"))
             .group_by(scored.c.reviewer_id).subquery("reviewer_means"))
    reviewers = (sa.select(means.c.reviewer_id, means.c.count, means.c.mean,
                           sa.func.sqrt(sa.func.avg(_squared(scored.c.total - means.c.mean))).label("sd"))
                 .join(means, means.c.reviewer_id == scored.c.reviewer_id)
                 .group_by(means.c.reviewer_id, means.c.count, means.c.mean).subquery("reviewer_stats"))
    proposal_means = (sa.select(scored.c.proposal_id, sa.func.avg(scored.c.total).label("mean"))
                      .group_by(scored.c.proposal_id).subquery("proposal_means"))
    z_score = sa.case(
        (sa.and_(reviewers.c.count > 1, reviewers.c.sd > NO_SPREAD), (scored.c.total - reviewers.c.mean) / reviewers.c.sd),
        else_=0.0,
    )
    return (sa.select(scored.c.proposal_id, sa.func.count().label("review_count"), sa.func.avg(scored.c.total).label("raw_mean"),
                      sa.func.avg(z_score).label("calibrated_z"),
                      sa.func.avg(_squared(scored.c.total - proposal_means.c.mean)).label("variance"),
                      (sa.func.max(scored.c.total) - sa.func.min(scored.c.total)).label("spread"))
            .join(reviewers, reviewers.c.reviewer_id == scored.c.reviewer_id)
            .join(proposal_means, proposal_means.c.proposal_id == scored.c.proposal_id)
            .group_by(scored.c.proposal_id).subquery("proposal_scores"))


def _grand_stats(scored):
    """Scalar subqueries of the mean and population variance of every submitted total."""
    mean = sa.select(sa.func.avg(scored.c.total)).scalar_subquery()
    return mean, sa.select(sa.func.avg(_squared(scored.c.total - mean))).scalar_subquery()


def _ranking_query(consultation: Consultation, *, kind: str, action_line: str, stakeholder_type: str, region: str,
                   decision: str, sort: str):
    """(filtered proposals, ranked select of their columns and scores): the ranking as one SQL statement."""
    scored = _scored_reviews(consultation).cte("scored")
    scores = proposal_score_aggregates(scored)
    assigned = (sa.select(ReviewAssignment.proposal_id, sa.func.count().label("assigned"))
                .where(ReviewAssignment.state == AssignmentState.ASSIGNED).group_by(ReviewAssignment.proposal_id).subquery())
    conditions = [Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.SUBMITTED]
    if kind:
        conditions.append(Proposal.kind == ProposalKind(kind))
    if stakeholder_type:
        conditions.append(Proposal.stakeholder_type == stakeholder_type)
    if region:
        conditions.append(Proposal.region == region)
    if decision:
        conditions.append(Proposal.decision == Decision(decision))
    if action_line:
        conditions.append(
            sa.exists().where(ProposalActionLine.proposal_id == Proposal.id, ProposalActionLine.code == action_line)
        )
    assigned_count = sa.func.coalesce(assigned.c.assigned, 0)
    number = sa.func.coalesce(Proposal.number, 0)

    def best_first(column):
        return (column.is_(None), column.desc(), number)

    order = {
        "calibrated": best_first(scores.c.calibrated_z),
        "raw": best_first(scores.c.raw_mean),
        "disagreement": best_first(scores.c.spread),
        "reviews": (sa.func.coalesce(scores.c.review_count, 0) - assigned_count, number),
        "reference": (number,),
    }.get(sort, best_first(scores.c.calibrated_z))
    grand_mean, grand_variance = _grand_stats(scored)
    ranked = (sa.select(Proposal.id, Proposal.number, Proposal.title, Proposal.kind, Proposal.stakeholder_type, Proposal.region,
                        Proposal.organization, Proposal.decision, Proposal.version_id, assigned_count,
                        scores.c.review_count, scores.c.raw_mean, scores.c.calibrated_z, scores.c.variance, scores.c.spread,
                        grand_mean, grand_variance, Proposal.language)
              .outerjoin(assigned, assigned.c.proposal_id == Proposal.id)
              .outerjoin(scores, scores.c.proposal_id == Proposal.id)
              .where(*conditions).order_by(*order, Proposal.id))
    return sa.select(sa.func.count()).select_from(Proposal).where(*conditions), ranked


def _ranking_row(row) -> RankingRow:
    (pid, number, title, kind, stakeholder_type, region, organization, decision, version, assigned,
     review_count, raw_mean, calibrated_z, variance, spread, grand_mean, grand_variance, language) = row
    score = ProposalScore(pid)
    if review_count:
        sd = sqrt(max(variance, 0.0))
        score = ProposalScore(pid, review_count=review_count, raw_mean=raw_mean, calibrated_z=calibrated_z,
                              calibrated=grand_mean + calibrated_z * sqrt(max(grand_variance, 0.0)), sd=sd, spread=spread,
                              is_disputed=is_disputed(review_count, sd, spread))
    return RankingRow(proposal_id=pid, number=number, title=title, kind=kind, stakeholder_type=stakeholder_type, region=region,
                      organization=organization, decision=decision, version_id=version, assigned=assigned, score=score,
                      language=language)


def ranking_rows(consultation: Consultation, *, kind: str = "", action_line: str = "", stakeholder_type: str = "",
                 region: str = "", decision: str = "", sort: str = "calibrated") -> list[RankingRow]:
    """Every submitted proposal matching the filters with its scores, sorted, from one query."""
    _count, ranked = _ranking_query(consultation, kind=kind, action_line=action_line, stakeholder_type=stakeholder_type,
                                    region=region, decision=decision, sort=sort)
    return [_ranking_row(row) for row in db.session.execute(ranked)]


def ranking_page(consultation: Consultation, *, page: int, per_page: int, kind: str = "", action_line: str = "",
                 stakeholder_type: str = "", region: str = "", decision: str = "", sort: str = "calibrated") -> ListPage:
    """One page of the ranking: the scores are aggregated, sorted and cut in SQL; two queries."""
    count, ranked = _ranking_query(consultation, kind=kind, action_line=action_line, stakeholder_type=stakeholder_type,
                                   region=region, decision=decision, sort=sort)
    total = db.session.execute(count).scalar_one()
    page = min(max(page, 1), max(1, ceil(total / per_page)))
    rows = db.session.execute(ranked.limit(per_page).offset((page - 1) * per_page))
    return ListPage(items=[_ranking_row(row) for row in rows], page=page, per_page=per_page, total=total)


def missing_criterion_counts(consultation: Consultation) -> list[tuple[str, int]]:
    """Per active criterion, how many submitted reviews have no score on it (criteria added after they were given)."""
    submitted = (sa.select(Review.id).join(Proposal, Proposal.id == Review.proposal_id)
                 .where(Proposal.consultation_id == consultation.id, Review.state == ReviewState.SUBMITTED))
    total = db.session.execute(sa.select(sa.func.count()).select_from(submitted.subquery())).scalar_one()
    if not total:
        return []
    scored = (sa.select(Score.criterion_id, sa.func.count().label("scored"))
              .where(Score.review_id.in_(submitted)).group_by(Score.criterion_id).subquery())
    rows = db.session.execute(
        sa.select(Criterion.name, sa.func.coalesce(scored.c.scored, 0))
        .outerjoin(scored, scored.c.criterion_id == Criterion.id)
        .where(Criterion.consultation_id == consultation.id, Criterion.is_active.is_(True))
        .order_by(Criterion.position, Criterion.id)).all()
    return [(name, total - count) for name, count in rows if total - count > 0]


def reviewer_queue(consultation: Consultation, reviewer: User, *, done: bool, page: int, per_page: int):
    """A page of the reviewer's open assignments, to do or done, with the proposal and own review: three queries."""
    own_submitted = sa.exists().where(Review.proposal_id == ReviewAssignment.proposal_id, Review.reviewer_id == reviewer.id,
                                      Review.state == ReviewState.SUBMITTED)
    query = (sa.select(ReviewAssignment).join(Proposal, Proposal.id == ReviewAssignment.proposal_id)
             .where(ReviewAssignment.reviewer_id == reviewer.id, ReviewAssignment.state == AssignmentState.ASSIGNED,
                    Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.SUBMITTED,
                    own_submitted if done else ~own_submitted)
             .options(joinedload(ReviewAssignment.proposal).selectinload(Proposal.speakers),
                      joinedload(ReviewAssignment.proposal).selectinload(Proposal.action_lines),
                      joinedload(ReviewAssignment.proposal).selectinload(Proposal.sdgs))
             .order_by(Proposal.number, Proposal.id))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    proposal_ids = [assignment.proposal_id for assignment in pagination.items]
    reviews = (
        {
            review.proposal_id: review
            for review in db.session.execute(
                sa.select(Review).where(Review.reviewer_id == reviewer.id, Review.proposal_id.in_(proposal_ids))
            ).scalars()
        }
        if proposal_ids
        else {}
    )
    return pagination, reviews


def queue_counts(consultation: Consultation, reviewer: User) -> dict[str, int]:
    """How many of the reviewer's assignments are to do and done."""
    row = db.session.execute(
        sa.select(sa.func.count(ReviewAssignment.id), sa.func.count(Review.id))
        .select_from(ReviewAssignment).join(Proposal, Proposal.id == ReviewAssignment.proposal_id)
        .outerjoin(Review, sa.and_(Review.proposal_id == ReviewAssignment.proposal_id, Review.reviewer_id == reviewer.id,
                                   Review.state == ReviewState.SUBMITTED))
        .where(ReviewAssignment.reviewer_id == reviewer.id, ReviewAssignment.state == AssignmentState.ASSIGNED,
               Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.SUBMITTED)).one()
    return {"todo": row[0] - row[1], "done": row[1]}


@dataclass
class ReviewerProgress:
    """One reviewer's progress."""

    reviewer_id: int
    name: str
    email: str
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    declined: int = 0
    conflicts: int = 0

    @property
    def open(self) -> int:
        return self.assigned - self.submitted


def reviewer_progress(consultation: Consultation) -> list[ReviewerProgress]:
    """Assignments, submitted and draft reviews, declines and conflicts per reviewer: four aggregate queries."""
    people = {row.id: ReviewerProgress(row.id, row.name, row.email) for row in db.session.execute(
        sa.select(User.id, User.name, User.email).where(User.role.in_([Role.REVIEWER, Role.CHAIR]), User.is_active.is_(True)))}
    in_consultation = Proposal.consultation_id == consultation.id

    def counts(query):
        for reviewer_id, count in db.session.execute(query):
            yield people.setdefault(reviewer_id, ReviewerProgress(reviewer_id, "?", "")), count

    for person, count in counts(
        sa.select(ReviewAssignment.reviewer_id, sa.func.count())
        .join(Proposal, Proposal.id == ReviewAssignment.proposal_id)
        .where(in_consultation, ReviewAssignment.state == AssignmentState.ASSIGNED)
        .group_by(ReviewAssignment.reviewer_id)
    ):
        person.assigned = count
    for person, count in counts(
        sa.select(ReviewAssignment.reviewer_id, sa.func.count())
        .join(Proposal, Proposal.id == ReviewAssignment.proposal_id)
        .where(in_consultation, ReviewAssignment.state == AssignmentState.DECLINED)
        .group_by(ReviewAssignment.reviewer_id)
    ):
        person.declined = count
    for reviewer_id, state, count in db.session.execute(
            sa.select(Review.reviewer_id, Review.state, sa.func.count()).join(Proposal, Proposal.id == Review.proposal_id)
            .where(in_consultation).group_by(Review.reviewer_id, Review.state)):
        person = people.setdefault(reviewer_id, ReviewerProgress(reviewer_id, "?", ""))
        if state is ReviewState.SUBMITTED:
            person.submitted = count
        else:
            person.drafts = count
    for person, count in counts(
        sa.select(Conflict.reviewer_id, sa.func.count())
        .join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(in_consultation)
        .group_by(Conflict.reviewer_id)
    ):
        person.conflicts = count
    return sorted(people.values(), key=lambda person: (person.name.lower(), person.reviewer_id))


def reviewers_with_open_assignments(consultation: Consultation) -> list[ReviewerProgress]:
    """Reviewers who still have assignments without a submitted review."""
    return [person for person in reviewer_progress(consultation) if person.open > 0 and person.email]


def _shares(query) -> dict[str, tuple[int, int]]:
    return {str(key.value if hasattr(key, "value") else key or ""): (int(all_count), int(accepted or 0))
            for key, all_count, accepted in db.session.execute(query)}


def balance(consultation: Consultation) -> dict[str, dict[str, tuple[int, int]]]:
    """(submitted, accepted) counts per stakeholder type, region and speaker gender: three aggregate queries."""
    accepted = sa.func.sum(sa.case((Proposal.decision == Decision.ACCEPTED, 1), else_=0))
    base = (Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.SUBMITTED)
    return {
        "stakeholder_type": _shares(sa.select(Proposal.stakeholder_type, sa.func.count(), accepted).where(*base)
                                    .group_by(Proposal.stakeholder_type)),
        "region": _shares(sa.select(Proposal.region, sa.func.count(), accepted).where(*base).group_by(Proposal.region)),
        "gender": _shares(sa.select(Speaker.gender, sa.func.count(), accepted).join(Proposal, Proposal.id == Speaker.proposal_id)
                          .where(*base).group_by(Speaker.gender)),
    }


def other_reviews(proposal: Proposal, reviewer: User) -> list[Review]:
    """The submitted reviews of proposal by others, with their reviewers and scores."""
    return list(db.session.execute(
        sa.select(Review).where(Review.proposal_id == proposal.id, Review.reviewer_id != reviewer.id,
                                Review.state == ReviewState.SUBMITTED)
        .options(joinedload(Review.reviewer), selectinload(Review.scores)).order_by(Review.id)).scalars())


def submitted_proposal_choices(consultation_id: int, *, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """(id, 'P-0001 Title') of the submitted proposals (but one), for the 'merge with' and assignment choices."""
    return [(pid, f"P-{number:04d} {title}" if number else title) for pid, number, title in db.session.execute(
        sa.select(Proposal.id, Proposal.number, Proposal.title)
        .where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED,
               Proposal.id != (exclude_id or -1)).order_by(Proposal.number, Proposal.id))]


def assignment_panels(consultation: Consultation, *, page: int, per_page: int):
    """A page of submitted proposals with their assignments and reviewers: two queries."""
    query = (sa.select(Proposal).where(Proposal.consultation_id == consultation.id, Proposal.status == ProposalStatus.SUBMITTED)
             .order_by(Proposal.number, Proposal.id))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    ids = [proposal.id for proposal in pagination.items]
    panels: dict[int, list[ReviewAssignment]] = {}
    if ids:
        for assignment in db.session.execute(sa.select(ReviewAssignment).where(ReviewAssignment.proposal_id.in_(ids))
                                             .options(joinedload(ReviewAssignment.reviewer)).order_by(ReviewAssignment.id)).scalars():
            panels.setdefault(assignment.proposal_id, []).append(assignment)
    return pagination, panels


def selection_options(consultation: Consultation):
    """The reviewed proposals as options for the selection assistant, from the ranking's rows."""
    from consult.review.assignment import normalise_organization
    from consult.review.selection import Option

    return [
        Option(
            id=row.proposal_id,
            score=row.score.calibrated_z,
            stakeholder_type=row.stakeholder_type.value if row.stakeholder_type else "",
            region=row.region or "",
            organization=normalise_organization(row.organization),
            kind=row.kind.value,
        )
        for row in ranking_rows(consultation)
        if row.score.calibrated_z is not None
    ]


def submitted_proposal_for_review(consultation_id: int, proposal_id: int) -> Proposal | None:
    """A submitted proposal of the consultation with its speakers and tags, or None."""
    return db.session.execute(
        sa.select(Proposal).where(Proposal.id == proposal_id, Proposal.consultation_id == consultation_id,
                                  Proposal.status == ProposalStatus.SUBMITTED)
        .options(selectinload(Proposal.speakers), selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))
    ).scalar_one_or_none()


def submitted_proposals(consultation_id: int, proposal_ids) -> list[Proposal]:
    """The submitted proposals of the consultation among these ids, in id order."""
    if not proposal_ids:
        return []
    return list(db.session.execute(
        sa.select(Proposal).where(Proposal.id.in_(proposal_ids), Proposal.consultation_id == consultation_id,
                                  Proposal.status == ProposalStatus.SUBMITTED).order_by(Proposal.id)).scalars())


def own_review(proposal: Proposal, reviewer: User) -> Review | None:
    """The reviewer's review of the proposal with its scores, or None."""
    return db.session.execute(
        sa.select(Review).where(Review.proposal_id == proposal.id, Review.reviewer_id == reviewer.id)
        .options(selectinload(Review.scores))).scalar_one_or_none()


def decision_reasons(consultation_id: int) -> list[DecisionReason]:
    """The consultation's decision reasons in their order."""
    return list(db.session.execute(
        sa.select(DecisionReason).where(DecisionReason.consultation_id == consultation_id)
        .order_by(DecisionReason.position, DecisionReason.id)).scalars())


def proposal_numbers(proposal_ids) -> dict[int, int]:
    """{id: number} of these proposals, in one query."""
    if not proposal_ids:
        return {}
    return dict(db.session.execute(sa.select(Proposal.id, Proposal.number).where(Proposal.id.in_(proposal_ids))).all())


def reviews_for_export(consultation_id: int, *, reviewer_id: int | None = None) -> list[Review]:
    """The consultation's reviews (only this reviewer's when given) with proposal, reviewer and scores loaded."""
    query = (sa.select(Review).join(Proposal, Proposal.id == Review.proposal_id)
             .where(Proposal.consultation_id == consultation_id)
             .options(joinedload(Review.proposal), joinedload(Review.reviewer), selectinload(Review.scores))
             .order_by(Proposal.number, Review.id))
    if reviewer_id is not None:
        query = query.where(Review.reviewer_id == reviewer_id)
    return list(db.session.execute(query).scalars())
