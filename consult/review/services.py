"""Writes of the review area: criteria, decision reasons, settings, conflicts, declines and reviews."""
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.accounts.language import writing_to
from consult.accounts.permissions import is_chair, is_reviewer
from consult.audit.services import field_changes, record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.services import check_version, update_consultation
from consult.db import utcnow
from consult.errors import DomainError, EditConflictError, NotAllowedError
from consult.extensions import db
from consult.outbox.services import queue_email
from consult.proposals.models import Proposal, ProposalStatus
from consult.reference import in_reader_language, kept_default, stored_text
from consult.review import queries
from consult.review.models import (
    AssignmentState,
    Conflict,
    Criterion,
    DecisionReason,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewState,
    Score,
)
from consult.review.permissions import can_review, has_conflict
from consult.review.ranking import weighted_total
from consult.review.selection import Bounds, select_proposals, top_n

DEFAULT_CRITERIA = (
    (_l("Relevance to the WSIS action lines and the SDGs"),
     _l("How clearly the proposal serves one or more action lines and contributes to the Sustainable Development Goals."), 2.0),
    (_l("Innovation"), _l("New ideas, formats or perspectives compared with earlier Forums."), 1.0),
    (_l("Multistakeholder make-up and diversity of speakers"),
     _l("Several stakeholder types, regions and a gender balance among the speakers and organisers."), 1.5),
    (_l("Feasibility"), _l("Can it be delivered as described, in the time and format asked for?"), 1.0),
)
# The OCP's five-point scale read the same way on every default criterion; the chair rewrites it per criterion.
DEFAULT_GUIDE = {
    "1": _l("Poor: does not meet the criterion"),
    "2": _l("Weak: meets it in a small part"),
    "3": _l("Fair: meets it, with clear gaps"),
    "4": _l("Good: meets it well"),
    "5": _l("Excellent: a model for the Forum on this criterion"),
}
DEFAULT_REASONS = (
    ("out_of_scope", _l("Out of the scope of the Forum")),
    ("duplicate", _l("Duplicates another proposal")),
    ("incomplete", _l("Incomplete submission")),
    ("capacity", _l("Not enough room in the programme")),
    ("merged_elsewhere", _l("Merged into another session")),
)


def criteria_of(consultation: Consultation, *, active_only: bool = False) -> list[Criterion]:
    """The consultation's criteria in order."""
    query = sa.select(Criterion).where(Criterion.consultation_id == consultation.id)
    if active_only:
        query = query.where(Criterion.is_active.is_(True))
    return list(db.session.execute(query.order_by(Criterion.position, Criterion.id)).scalars())


def criterion_dicts(criteria: list[Criterion]) -> list[dict]:
    """Criteria as plain data, for the review form factory and the ranking maths."""
    return [{"id": c.id, "name": in_reader_language(c.name), "description": in_reader_language(c.description),
             "weight": c.weight, "scale_min": c.scale_min, "scale_max": c.scale_max, "is_required": c.is_required,
             "is_active": c.is_active,
             "guide": {value: in_reader_language(meaning) for value, meaning in (c.guide or {}).items()}}
            for c in criteria]


def ensure_default_criteria(consultation: Consultation, *, actor=None) -> list[Criterion]:
    """Create the OCP default criteria and decision reasons when the consultation has none yet."""
    if not criteria_of(consultation):
        for position, (name, description, weight) in enumerate(DEFAULT_CRITERIA, start=1):
            db.session.add(Criterion(consultation_id=consultation.id, position=position, name=stored_text(name),
                                     description=stored_text(description), weight=weight, scale_min=1, scale_max=5,
                                     guide={value: stored_text(meaning) for value, meaning in DEFAULT_GUIDE.items()}))
        db.session.flush()
        record_audit("criteria.defaults", consultation, actor=actor, consultation_id=consultation.id,
                     summary=stored_text(_l("Default criteria created")))
    if db.session.execute(sa.select(DecisionReason.id).where(DecisionReason.consultation_id == consultation.id)).first() is None:
        for position, (code, label) in enumerate(DEFAULT_REASONS, start=1):
            db.session.add(DecisionReason(consultation_id=consultation.id, code=code, label=stored_text(label),
                                          position=position))
        db.session.flush()
    return criteria_of(consultation)


def _check_scale(scale_min: int, scale_max: int, weight: float) -> None:
    if scale_max <= scale_min:
        raise DomainError(_("The top of the scale must be above its bottom."), field="scale_max")
    if weight <= 0:
        raise DomainError(_("The weight must be above zero."), field="weight")


def _checked_guide(guide: dict | None, scale_min: int, scale_max: int) -> dict:
    """The guide as {"score": meaning} within the scale, or a DomainError on the guide field."""
    checked = {}
    for value, meaning in (guide or {}).items():
        if not str(value).lstrip("-").isdigit() or not scale_min <= int(value) <= scale_max:
            raise DomainError(_("Score %(value)s is outside the scale %(low)d–%(high)d.", value=value, low=scale_min,
                                high=scale_max), field="guide")
        checked[str(int(value))] = str(meaning).strip()
    return checked


def next_position(model, consultation_id: int) -> int:
    """The position after the last of a consultation's criteria or reasons: positions count from 1."""
    last = db.session.execute(sa.select(sa.func.max(model.position)).where(model.consultation_id == consultation_id)).scalar()
    return max(last or 0, 0) + 1


def create_criterion(consultation: Consultation, *, actor, name: str, description: str = "", weight: float = 1.0,
                     scale_min: int = 1, scale_max: int = 5, is_required: bool = True, position: int | None = None,
                     is_active: bool = True, guide: dict | None = None) -> Criterion:
    """Add a criterion; reviews given before keep their scores and the ranking reports what they lack."""
    _check_scale(scale_min, scale_max, weight)
    if position is None:
        position = next_position(Criterion, consultation.id)
    criterion = Criterion(consultation_id=consultation.id, name=name.strip(), description=description or "", weight=weight,
                          scale_min=scale_min, scale_max=scale_max, is_required=is_required, position=position,
                          is_active=is_active, guide=_checked_guide(guide, scale_min, scale_max))
    db.session.add(criterion)
    db.session.flush()
    record_audit("criterion.create", criterion, actor=actor, summary=criterion.name)
    recompute_consultation_totals(consultation)
    return criterion


def update_criterion(criterion: Criterion, *, actor, name: str, description: str, weight: float, scale_min: int,
                     scale_max: int, is_required: bool, position: int, is_active: bool,
                     guide: dict | None = None) -> Criterion:
    """Change a criterion; totals of existing reviews are recomputed, their scores are kept.

    A scale that would leave given scores outside it is refused: those reviews would show "Not scored" while their
    totals still counted the old values.
    """
    _check_scale(scale_min, scale_max, weight)
    _refuse_scores_outside(criterion, scale_min, scale_max)
    fields = {"name": name.strip(), "description": description or "", "weight": weight, "scale_min": scale_min,
              "scale_max": scale_max, "is_required": is_required, "position": position, "is_active": is_active}
    changes = field_changes({name: getattr(criterion, name) for name in fields}, fields)
    criterion.name = kept_default(criterion.name, name.strip())
    criterion.description, criterion.weight = kept_default(criterion.description, description or ""), weight
    criterion.scale_min, criterion.scale_max, criterion.is_required = scale_min, scale_max, is_required
    criterion.position, criterion.is_active = position, is_active
    if guide is not None:
        stored = criterion.guide or {}
        criterion.guide = {value: kept_default(stored.get(value), meaning)
                           for value, meaning in _checked_guide(guide, scale_min, scale_max).items()}
    db.session.flush()
    record_audit("criterion.update", criterion, actor=actor, summary=criterion.name, changes=changes)
    recompute_consultation_totals(db.session.get(Consultation, criterion.consultation_id))
    return criterion


def _refuse_scores_outside(criterion: Criterion, scale_min: int, scale_max: int) -> None:
    """Raise, beside the field, when reviews hold scores on criterion below scale_min or above scale_max."""
    def holding(condition) -> int:
        return db.session.execute(sa.select(sa.func.count(sa.distinct(Score.review_id))).where(
            Score.criterion_id == criterion.id, condition)).scalar_one()
    errors = {}
    above = holding(Score.value > scale_max)
    if above:
        errors["scale_max"] = ngettext(
            "%(num)d review holds a score above %(value)d on this criterion. Choose a highest score that keeps every "
            "score given, or have that score changed first.",
            "%(num)d reviews hold scores above %(value)d on this criterion. Choose a highest score that keeps every "
            "score given, or have those scores changed first.", above, value=scale_max)
    below = holding(Score.value < scale_min)
    if below:
        errors["scale_min"] = ngettext(
            "%(num)d review holds a score below %(value)d on this criterion. Choose a lowest score that keeps every "
            "score given, or have that score changed first.",
            "%(num)d reviews hold scores below %(value)d on this criterion. Choose a lowest score that keeps every "
            "score given, or have those scores changed first.", below, value=scale_min)
    if errors:
        raise DomainError.of(errors)


def save_decision_reason(consultation: Consultation, *, actor, code: str, label: str, position: int = 0,
                         reason: DecisionReason | None = None) -> DecisionReason:
    """Create (or change, when reason is given) a decision reason code."""
    code = code.strip().lower()
    clash = db.session.execute(sa.select(DecisionReason.id).where(
        DecisionReason.consultation_id == consultation.id, DecisionReason.code == code,
        DecisionReason.id != (reason.id if reason else -1))).first()
    if clash is not None:
        raise DomainError(_("Another reason already uses this code."), field="code")
    if reason is None:
        reason = DecisionReason(consultation_id=consultation.id)
        db.session.add(reason)
    reason.code, reason.label, reason.position = code, kept_default(reason.label, label.strip()), position
    db.session.flush()
    record_audit("decision_reason.save", reason, actor=actor, consultation_id=consultation.id, summary=f"{code}: {label}")
    return reason


def update_review_settings(consultation: Consultation, *, actor, is_blind_review: bool, review_visibility: str,
                           reviewers_per_proposal: int, is_feedback_released: bool | None = None,
                           expected_version=None) -> Consultation:
    """Change blind review, the visibility of others' reviews and k, through the consultation's service."""
    if not 1 <= reviewers_per_proposal <= 10:
        raise DomainError(_("Between 1 and 10 reviewers per proposal."), field="reviewers_per_proposal")
    released = {} if is_feedback_released is None else {"is_feedback_released": bool(is_feedback_released)}
    return update_consultation(consultation, actor=actor, expected_version=expected_version,
                               is_blind_review=is_blind_review, review_visibility=review_visibility,
                               reviewers_per_proposal=reviewers_per_proposal, **released)


def compute_review_total(review: Review, criteria: list[dict]) -> float | None:
    """Recompute review.total_score from its scores: the only place a total is set."""
    review.total_score = weighted_total({score.criterion_id: score.value for score in review.scores}, criteria)
    return review.total_score


def recompute_consultation_totals(consultation: Consultation) -> int:
    """Recompute the totals of every review of the consultation after its criteria changed."""
    criteria = criterion_dicts(criteria_of(consultation))
    reviews = db.session.execute(
        sa.select(Review).join(Proposal, Review.proposal_id == Proposal.id)
        .where(Proposal.consultation_id == consultation.id).options(selectinload(Review.scores))
    ).scalars().all()
    for review in reviews:
        compute_review_total(review, criteria)
    db.session.flush()
    return len(reviews)


def _open_assignment(proposal: Proposal, reviewer) -> ReviewAssignment | None:
    return db.session.execute(sa.select(ReviewAssignment).where(
        ReviewAssignment.proposal_id == proposal.id, ReviewAssignment.reviewer_id == reviewer.id)).scalar_one_or_none()


def _own_review(proposal: Proposal, reviewer) -> Review | None:
    return db.session.execute(sa.select(Review).where(
        Review.proposal_id == proposal.id, Review.reviewer_id == reviewer.id)).scalar_one_or_none()


def declare_conflict(proposal: Proposal, *, reviewer, reason: str) -> Conflict:
    """A reviewer declares a conflict: their assignment and draft review go, freeing the slot for reassignment."""
    if not is_reviewer(reviewer):
        raise NotAllowedError(_("Only committee members declare conflicts."))
    if not reason.strip():
        raise DomainError(_("Say briefly why there is a conflict."), field="reason")
    review = _own_review(proposal, reviewer)
    if review is not None and review.state is ReviewState.SUBMITTED:
        raise DomainError(
            _("You have already submitted a review of this proposal; ask the chair to withdraw it."), field="reason"
        )
    if has_conflict(reviewer, proposal):
        raise DomainError(_("You have already declared a conflict with this proposal."), field="reason")
    if review is not None:
        db.session.delete(review)
    assignment = _open_assignment(proposal, reviewer)
    if assignment is not None:
        db.session.delete(assignment)
    conflict = Conflict(reviewer_id=reviewer.id, proposal_id=proposal.id, reason=reason.strip())
    db.session.add(conflict)
    db.session.flush()
    record_audit("review.conflict", conflict, actor=reviewer, consultation_id=proposal.consultation_id,
                 summary=proposal.reference)
    return conflict


def decline_assignment(proposal: Proposal, *, reviewer, reason: str) -> ReviewAssignment:
    """A reviewer declines an assignment with a reason; the slot is freed and they are not assigned it again."""
    assignment = _open_assignment(proposal, reviewer)
    if assignment is None or assignment.state is not AssignmentState.ASSIGNED:
        raise NotAllowedError(_("You are not assigned to this proposal."))
    if not reason.strip():
        raise DomainError(_("Say briefly why you decline."), field="reason")
    review = _own_review(proposal, reviewer)
    if review is not None and review.state is ReviewState.SUBMITTED:
        raise DomainError(_("You have already submitted a review of this proposal."), field="reason")
    if review is not None:
        db.session.delete(review)
    assignment.state, assignment.decline_reason = AssignmentState.DECLINED, reason.strip()
    db.session.flush()
    record_audit("review.decline", assignment, actor=reviewer, consultation_id=proposal.consultation_id,
                 summary=proposal.reference)
    return assignment


def save_review(proposal: Proposal, *, reviewer, scores: dict[int, int | None], recommendation: str | None,
                merge_with_id: int | None = None, comment_to_committee: str = "", comment_to_submitter: str = "",
                submit: bool = False, expected_version=None) -> Review:
    """Save the reviewer's review as a draft, or submit it; one review per reviewer and proposal."""
    consultation = proposal.consultation
    ensure_phase_open(consultation, PhaseKind.REVIEW)
    if not can_review(reviewer, proposal):
        raise NotAllowedError(_("You may not review this proposal."))
    criteria = criteria_of(consultation)
    by_id = {criterion.id: criterion for criterion in criteria}
    given = {criterion_id: value for criterion_id, value in scores.items() if value is not None and criterion_id in by_id}
    for criterion_id, value in given.items():
        criterion = by_id[criterion_id]
        if not criterion.scale_min <= value <= criterion.scale_max:
            raise DomainError(_("Give a score from %(low)d to %(high)d.", low=criterion.scale_min, high=criterion.scale_max),
                              field=f"score_{criterion_id}")
    recommendation_value = Recommendation(recommendation) if recommendation else None
    if recommendation_value is Recommendation.MERGE:
        _check_merge_target(proposal, merge_with_id)
    else:
        merge_with_id = None
    if submit:
        missing = {f"score_{criterion.id}": _("Score “%(name)s” before submitting.", name=criterion.name)
                   for criterion in criteria if criterion.is_active and criterion.is_required and criterion.id not in given}
        if recommendation_value is None:
            missing["recommendation"] = _("Choose a recommendation before submitting.")
        if missing:
            raise DomainError.of(missing)

    created_elsewhere = _("Your review of this proposal was saved in another window meanwhile: it is shown beside "
                          "what you typed. Apply your changes to it and save again.")
    review = _own_review(proposal, reviewer)
    if review is None:
        review = Review(proposal_id=proposal.id, reviewer_id=reviewer.id)
        try:
            # Two tabs creating the same review: the unique constraint decides; the loser gets a clean conflict.
            with db.session.begin_nested():
                db.session.add(review)
                db.session.flush()
        except IntegrityError as error:
            raise EditConflictError(created_elsewhere) from error
    elif expected_version in (None, ""):
        # A form without a version was opened before any review existed: another tab (or window) created one since.
        raise EditConflictError(created_elsewhere)
    else:
        check_version(review, expected_version, actor=reviewer)
    existing = {score.criterion_id: score for score in review.scores}
    for criterion_id, value in given.items():
        if criterion_id in existing:
            existing[criterion_id].value = value
        else:
            review.scores.append(Score(criterion_id=criterion_id, value=value))
    for criterion_id, score in existing.items():
        # A cleared score on an active criterion is removed; scores on retired criteria are kept.
        if criterion_id not in given and by_id.get(criterion_id) is not None and by_id[criterion_id].is_active:
            review.scores.remove(score)
    review.recommendation, review.merge_with_id = recommendation_value, merge_with_id
    # A comment of only spaces is no comment: stored empty, so that the submitter's page shows none.
    review.comment_to_committee = (comment_to_committee or "").strip()
    review.comment_to_submitter = (comment_to_submitter or "").strip()
    if submit and review.state is not ReviewState.SUBMITTED:
        review.state, review.submitted_at = ReviewState.SUBMITTED, utcnow()
    db.session.flush()
    compute_review_total(review, criterion_dicts(criteria))
    db.session.flush()
    record_audit("review.submit" if submit else "review.save", review, actor=reviewer,
                 consultation_id=proposal.consultation_id, summary=proposal.reference)
    return review


def _check_merge_target(proposal: Proposal, merge_with_id: int | None) -> None:
    if not merge_with_id:
        raise DomainError(_("Choose the proposal to merge with."), field="merge_with_id")
    target = db.session.get(Proposal, merge_with_id)
    if (target is None or target.id == proposal.id or target.consultation_id != proposal.consultation_id
            or target.status is not ProposalStatus.SUBMITTED):
        raise DomainError(_("Choose another submitted proposal of this consultation."), field="merge_with_id")


def can_read_others_reviews(user, consultation: Consultation, own_review: Review | None) -> bool:
    """Whether user may read the other reviews of a proposal, following the consultation's visibility setting."""
    from consult.consultations.models import ReviewVisibility

    if is_chair(user):
        return True
    if consultation.review_visibility is ReviewVisibility.ALWAYS:
        return True
    if consultation.review_visibility is ReviewVisibility.AFTER_OWN:
        return own_review is not None and own_review.state is ReviewState.SUBMITTED
    return False


def remind_reviewers(consultation: Consultation, *, actor=None) -> int:
    """Queue a reminder to every reviewer with open assignments; returns how many were queued."""
    from consult.review.queries import reviewers_with_open_assignments

    people = reviewers_with_open_assignments(consultation)
    for person in people:
        with writing_to(person.email):
            body = "\n".join([
                _("Dear %(name)s,", name=person.name), "",
                ngettext("%(num)d proposal assigned to you in “%(title)s” still waits for your review.",
                         "%(num)d proposals assigned to you in “%(title)s” still wait for your review.", person.open,
                         title=consultation.title),
                ngettext("Your review queue lists it; the review phase closes on its deadline shown on the site.",
                         "Your review queue lists them; the review phase closes on its deadline shown on the site.",
                         person.open),
            ])
            queue_email(person.email, ngettext("Reminder: %(num)d review to finish", "Reminder: %(num)d reviews to finish",
                                                 person.open), body,
                        category="review.reminder", consultation_id=consultation.id)
    record_audit("review.remind", consultation, actor=actor, consultation_id=consultation.id,
                 summary=ngettext("%(num)d reminder queued", "%(num)d reminders queued", len(people)))
    return len(people)


def propose_selection(consultation: Consultation, bounds: Bounds) -> dict:
    """The selection assistant's best set within bounds, beside the plain top-N: chosen, added and dropped rows."""
    options = queries.selection_options(consultation)
    chosen = select_proposals(options, bounds)
    plain = top_n(options, bounds.slots)
    rows = {row.proposal_id: row for row in queries.ranking_rows(consultation)}
    return {"selection": chosen, "chosen": [rows[i] for i in chosen.ids],
            "added": [rows[i] for i in chosen.ids if i not in plain],
            "dropped": [rows[i] for i in plain if i not in set(chosen.ids)]}
