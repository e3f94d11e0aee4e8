"""Routes of the review area: the reviewer's queue and review form, and the chair's committee pages."""
import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.models import Role, User
from consult.accounts.permissions import is_chair, role_required
from consult.accounts.queries import list_reviewers
from consult.errors import DomainError, EditConflictError
from consult.extensions import db
from consult.forms import as_choices
from consult.forms.review import (
    AutoAssignForm, BulkDecisionForm, CriterionForm, DecisionForm, DecisionReasonForm, ManualAssignForm, RankingFilterForm,
    ReasonTextForm, ReviewSettingsForm, SelectionForm, make_review_form,
)
from consult import reference
from consult.proposals.models import DECISION_LABELS, Decision, Proposal, ProposalStatus
from consult.review import assignment as assigning
from consult.review import decisions, exports, queries, services
from consult.review.models import Criterion, DecisionReason, Review, ReviewAssignment
from consult.proposals.permissions import can_see_identity
from consult.review.permissions import can_review, has_conflict, is_assigned
from consult.review.presenters import reviewer_view_of
from consult.review.ranking import DISAGREEMENT_RANGE, DISAGREEMENT_SD
from consult.review.selection import Bounds, select_proposals, top_n
from consult.views_helpers import attach_error, page_number, refuse
from consult.web import current_consultation

bp = Blueprint("review", __name__, url_prefix="/review")
BALANCE_LABELS = {
    "stakeholder_type": {member.value: label for member, label in reference.STAKEHOLDER_TYPE_LABELS.items()},
    "region": reference.REGION_LABELS,
    "gender": {},
}


def _consultation_or_404():
    consultation = current_consultation()
    if consultation is None:
        abort(404)
    return consultation


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.execute(
        sa.select(Proposal).where(Proposal.id == proposal_id)
        .options(selectinload(Proposal.speakers), selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))
    ).scalar_one_or_none()
    consultation = _consultation_or_404()
    if proposal is None or proposal.consultation_id != consultation.id or proposal.status is not ProposalStatus.SUBMITTED:
        abort(404)
    return proposal


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, EditConflictError) else 422


def _submit(form, call) -> int | None:
    """Validate form and run the service call; None once committed, else the status to re-render the form with."""
    if not form.validate_on_submit():
        return 422 if form.is_submitted() else 200
    try:
        call()
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error)
        return _status(error)
    db.session.commit()
    return None


def _reason_choices(consultation):
    reasons = db.session.execute(sa.select(DecisionReason).where(DecisionReason.consultation_id == consultation.id)
                                 .order_by(DecisionReason.position, DecisionReason.id)).scalars()
    return as_choices([("", _("No reason"))] + [(reason.id, reason.label) for reason in reasons])


# --- Reviewer -------------------------------------------------------------------------------------------------

@bp.route("/queue")
@role_required(Role.REVIEWER)
def queue():
    """The reviewer's assigned proposals, to do or done."""
    consultation = _consultation_or_404()
    done = request.args.get("tab") == "done"
    pagination, reviews = queries.reviewer_queue(consultation, current_user, done=done, page=page_number(),
                                                 per_page=current_app.config["PAGE_SIZE"])
    views = [(assignment, reviewer_view_of(assignment.proposal, current_user, consultation), reviews.get(assignment.proposal_id))
             for assignment in pagination.items]
    return render_template("review/queue.html", pagination=pagination, rows=views, done=done,
                           counts=queries.queue_counts(consultation, current_user))


@bp.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def score_proposal(proposal_id: int):
    """The proposal as the reviewer may see it, the review form and, when allowed, the other reviews."""
    consultation = _consultation_or_404()
    proposal = _proposal_or_404(proposal_id)
    if not can_review(current_user, proposal):
        abort(403)
    criteria = services.criteria_of(consultation)
    criterion_data = services.criterion_dicts(criteria)
    own = db.session.execute(sa.select(Review).where(Review.proposal_id == proposal.id, Review.reviewer_id == current_user.id)
                             .options(selectinload(Review.scores))).scalar_one_or_none()
    form = make_review_form(criterion_data, queries.submitted_proposal_choices(proposal.consultation_id, exclude_id=proposal.id))
    if request.method == "GET" and own is not None:
        values = {score.criterion_id: score.value for score in own.scores}
        for name in form.score_field_names:
            form[name].data = values.get(int(name.split("_")[1]))
        form.recommendation.data = own.recommendation.value if own.recommendation else None
        form.merge_with_id.data = str(own.merge_with_id or "")
        form.comment_to_committee.data, form.comment_to_submitter.data = own.comment_to_committee, own.comment_to_submitter
        form.version_id.data = own.version_id
    status = 200
    if form.validate_on_submit():
        submit = bool(form.submit.data)
        try:
            services.save_review(
                proposal, reviewer=current_user,
                scores={int(name.split("_")[1]): form[name].data for name in form.score_field_names},
                recommendation=form.recommendation.data or None,
                merge_with_id=int(form.merge_with_id.data) if (form.merge_with_id.data or "").isdigit() else None,
                comment_to_committee=form.comment_to_committee.data or "", comment_to_submitter=form.comment_to_submitter.data or "",
                submit=submit, expected_version=form.version_id.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
            status = _status(error)
        else:
            db.session.commit()
            flash(_("Your review is submitted.") if submit else _("Your draft is saved."), "success")
            if submit:
                return redirect(url_for("review.queue"))
            return redirect(url_for("review.score_proposal", proposal_id=proposal.id))
    elif form.is_submitted():
        status = 422
    show_others = services.can_read_others_reviews(current_user, consultation, own)
    return render_template("review/score_proposal.html", proposal=reviewer_view_of(proposal, current_user, consultation),
                           form=form, own=own, criteria=criteria, show_others=show_others,
                           others=queries.other_reviews(proposal, current_user) if show_others else [],
                           is_assigned=is_assigned(current_user, proposal)), status


def _reason_page(proposal_id: int, *, template: str, action):
    consultation = _consultation_or_404()
    proposal = _proposal_or_404(proposal_id)
    if has_conflict(current_user, proposal) or proposal.submitter_id == current_user.id:
        abort(403)
    if not (is_assigned(current_user, proposal) or is_chair(current_user)):
        abort(403)
    form = ReasonTextForm()
    status = _submit(form, lambda: action(proposal, reviewer=current_user, reason=form.reason.data))
    if status is None:
        flash(_("Done: %(ref)s is off your queue and its slot is free for another reviewer.", ref=proposal.reference), "success")
        return redirect(url_for("review.queue"))
    return render_template(template, proposal=reviewer_view_of(proposal, current_user, consultation), form=form), status


@bp.route("/proposals/<int:proposal_id>/conflict", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def declare_conflict(proposal_id: int):
    """A reviewer declares a conflict of interest with a proposal."""
    return _reason_page(proposal_id, template="review/declare_conflict.html", action=services.declare_conflict)


@bp.route("/proposals/<int:proposal_id>/decline", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def decline_assignment(proposal_id: int):
    """A reviewer declines an assignment with a reason."""
    if is_chair(current_user) and not is_assigned(current_user, _proposal_or_404(proposal_id)):
        abort(403)
    return _reason_page(proposal_id, template="review/decline_assignment.html", action=services.decline_assignment)


def _file(data: bytes, fmt: str, name: str) -> Response:
    mimetype = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _write(headers, rows, fmt: str, title: str) -> bytes:
    return exports.to_csv(headers, rows) if fmt == "csv" else exports.to_xlsx(headers, rows, title=title)


@bp.route("/export/reviews.<any(csv, xlsx):fmt>")
@role_required(Role.REVIEWER)
def export_reviews(fmt: str):
    """Reviews as CSV or XLSX: every review for the chair, one's own (blind if the review is) for a reviewer."""
    consultation = _consultation_or_404()
    query = (sa.select(Review).join(Proposal, Proposal.id == Review.proposal_id).where(Proposal.consultation_id == consultation.id)
             .options(joinedload(Review.proposal), joinedload(Review.reviewer), selectinload(Review.scores))
             .order_by(Proposal.number, Review.id))
    if not is_chair(current_user):
        query = query.where(Review.reviewer_id == current_user.id)
    reviews = db.session.execute(query).scalars().all()
    headers, rows = exports.reviews_table(reviews, services.criteria_of(consultation),
                                          identity_visible=can_see_identity(current_user, consultation))
    return _file(_write(headers, rows, fmt, _("Reviews")), fmt, "reviews")


# --- Chair: criteria, reasons, settings ------------------------------------------------------------------------

def _criterion_fields(form: CriterionForm) -> dict:
    return {"name": form.name.data, "description": form.description.data or "", "weight": form.weight.data,
            "scale_min": form.scale_min.data, "scale_max": form.scale_max.data, "is_required": form.is_required.data,
            "position": form.position.data, "is_active": form.is_active.data}


@bp.route("/criteria", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def criteria():
    """The consultation's criteria and decision reasons, and a form to add a criterion."""
    consultation = _consultation_or_404()
    form = CriterionForm()
    status = _submit(form, lambda: services.create_criterion(consultation, actor=current_user, **_criterion_fields(form)))
    if status is None:
        flash(_("The criterion is added."), "success")
        return redirect(url_for("review.criteria"))
    reasons = db.session.execute(sa.select(DecisionReason).where(DecisionReason.consultation_id == consultation.id)
                                 .order_by(DecisionReason.position, DecisionReason.id)).scalars().all()
    return render_template("review/criteria.html", criteria=services.criteria_of(consultation), reasons=reasons, form=form,
                           reason_form=DecisionReasonForm(formdata=None)), status


@bp.route("/criteria/defaults", methods=["POST"])
@role_required(Role.CHAIR)
def default_criteria():
    """Create the default OCP criteria and decision reasons when there are none."""
    services.ensure_default_criteria(_consultation_or_404(), actor=current_user)
    db.session.commit()
    flash(_("The default criteria and decision reasons are in place."), "success")
    return redirect(url_for("review.criteria"))


@bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def edit_criterion(criterion_id: int):
    """The chair edits a criterion; scores already given are kept."""
    consultation = _consultation_or_404()
    criterion = db.get_or_404(Criterion, criterion_id)
    if criterion.consultation_id != consultation.id:
        abort(404)
    form = CriterionForm(obj=criterion)
    status = _submit(form, lambda: services.update_criterion(criterion, actor=current_user, **_criterion_fields(form)))
    if status is None:
        flash(_("The criterion is saved."), "success")
        return redirect(url_for("review.criteria"))
    return render_template("review/edit_criterion.html", criterion=criterion, form=form), status


@bp.route("/reasons", methods=["POST"])
@bp.route("/reasons/<int:reason_id>", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def edit_reason(reason_id: int | None = None):
    """The chair adds or edits a decision reason code."""
    consultation = _consultation_or_404()
    reason = db.get_or_404(DecisionReason, reason_id) if reason_id else None
    if reason is not None and reason.consultation_id != consultation.id:
        abort(404)
    form = DecisionReasonForm(obj=reason)
    status = _submit(form, lambda: services.save_decision_reason(
        consultation, actor=current_user, code=form.code.data, label=form.label.data, position=form.position.data, reason=reason))
    if status is None:
        flash(_("The decision reason is saved."), "success")
        return redirect(url_for("review.criteria"))
    return render_template("review/edit_reason.html", reason=reason, form=form), status


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def settings():
    """Blind review, the visibility of others' reviews and the number of reviewers per proposal."""
    consultation = _consultation_or_404()
    form = ReviewSettingsForm(obj=consultation)
    if request.method == "GET":
        form.review_visibility.data = consultation.review_visibility.value
        form.version_id.data = consultation.version_id
    status = _submit(form, lambda: services.update_review_settings(
        consultation, actor=current_user, is_blind_review=form.is_blind_review.data,
        review_visibility=form.review_visibility.data, reviewers_per_proposal=form.reviewers_per_proposal.data,
        expected_version=form.version_id.data))
    if status is None:
        flash(_("The review settings are saved."), "success")
        return redirect(url_for("review.settings"))
    return render_template("review/settings.html", form=form), status


# --- Chair: assignment -----------------------------------------------------------------------------------------

def _manual_form(consultation, formdata=None) -> ManualAssignForm:
    form = ManualAssignForm(formdata=formdata) if formdata is not None else ManualAssignForm()
    form.proposal_id.choices = as_choices(queries.submitted_proposal_choices(consultation.id))
    form.reviewer_id.choices = as_choices([(user.id, f"{user.name} ({user.organization})") for user in list_reviewers()])
    return form


@bp.route("/assignments")
@role_required(Role.CHAIR)
def assignments():
    """Every submitted proposal with its panel; the automatic assignment and the manual form."""
    consultation = _consultation_or_404()
    pagination, panels = queries.assignment_panels(consultation, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("review/assignments.html", pagination=pagination, panels=panels, auto_form=AutoAssignForm(),
                           manual_form=_manual_form(consultation))


@bp.route("/assignments/auto", methods=["POST"])
@role_required(Role.CHAIR)
def assign_automatically():
    """Run the automatic assignment and report the proposals left short."""
    consultation = _consultation_or_404()
    form = AutoAssignForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan = assigning.assign_automatically(consultation, actor=current_user, include_chairs=form.include_chairs.data)
    except DomainError as error:
        db.session.rollback()
        return refuse(error.message, assignments, error.status_code)
    db.session.commit()
    flash(_("%(count)d assignments made.", count=len(plan.pairs)), "success")
    if plan.short:
        numbers = {row[0]: row[1] for row in db.session.execute(sa.select(Proposal.id, Proposal.number).where(Proposal.id.in_(plan.short)))}
        for proposal_id, reason in sorted(plan.short.items())[:20]:
            flash(_("P-%(number)04d could not get enough reviewers: %(reason)s", number=numbers.get(proposal_id) or 0, reason=reason), "warning")
    return redirect(url_for("review.assignments"))


@bp.route("/assignments/add", methods=["POST"])
@role_required(Role.CHAIR)
def add_assignment():
    """The chair assigns one reviewer by hand; conflicts and same-organization reviewers are refused."""
    consultation = _consultation_or_404()
    form = _manual_form(consultation, request.form)
    if not form.validate_on_submit():
        return refuse(_("Choose a proposal and a reviewer."), assignments)
    proposal = _proposal_or_404(form.proposal_id.data)
    reviewer = db.get_or_404(User, form.reviewer_id.data)
    try:
        assigning.assign_reviewer(proposal, reviewer, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        return refuse(error.message, assignments, error.status_code)
    db.session.commit()
    flash(_("%(name)s is assigned to %(ref)s.", name=reviewer.name, ref=proposal.reference), "success")
    return redirect(url_for("review.assignments"))


@bp.route("/assignments/<int:assignment_id>/remove", methods=["POST"])
@role_required(Role.CHAIR)
def remove_assignment(assignment_id: int):
    """The chair removes an assignment."""
    assignment = db.get_or_404(ReviewAssignment, assignment_id)
    if assignment.proposal.consultation_id != _consultation_or_404().id:
        abort(404)
    try:
        assigning.remove_assignment(assignment, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        return refuse(error.message, assignments, error.status_code)
    db.session.commit()
    flash(_("The assignment is removed."), "success")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("review.assignments"))


# --- Chair: ranking and decisions ------------------------------------------------------------------------------

@bp.route("/ranking")
@role_required(Role.CHAIR)
def ranking():
    """The ranking with raw and calibrated scores, disagreement, balance meters and bulk decisions."""
    consultation = _consultation_or_404()
    filters = RankingFilterForm(request.args)
    if not filters.validate():
        abort(400)
    page = queries.ranking_page(consultation, page=page_number(), per_page=current_app.config["PAGE_SIZE"],
                                kind=filters.kind.data, action_line=filters.action_line.data,
                                stakeholder_type=filters.stakeholder_type.data, region=filters.region.data,
                                sort=filters.sort.data)
    bulk_form = BulkDecisionForm(formdata=None)
    bulk_form.reason_id.choices = _reason_choices(consultation)
    return render_template("review/ranking.html", filters=filters, pagination=page, bulk_form=bulk_form,
                           missing=queries.missing_criterion_counts(consultation), balance=queries.balance(consultation),
                           disagreement_range=DISAGREEMENT_RANGE, disagreement_sd=DISAGREEMENT_SD,
                           decision_labels=DECISION_LABELS, balance_labels=BALANCE_LABELS)


def _selected_proposals(consultation) -> list[Proposal]:
    ids = sorted({int(value) for value in request.form.getlist("proposal_ids") if value.isdigit()})
    if not ids:
        return []
    return list(db.session.execute(sa.select(Proposal).where(Proposal.id.in_(ids), Proposal.consultation_id == consultation.id,
                                                             Proposal.status == ProposalStatus.SUBMITTED)).scalars())


@bp.route("/ranking/bulk", methods=["POST"])
@role_required(Role.CHAIR)
def bulk_decision():
    """The confirmation screen of a bulk decision: exactly what will change, from what to what."""
    consultation = _consultation_or_404()
    form = BulkDecisionForm()
    form.reason_id.choices = _reason_choices(consultation)
    proposals = _selected_proposals(consultation)
    if not form.validate_on_submit() or not proposals:
        return refuse(_("Tick at least one proposal and choose a decision."), ranking)
    if form.decision.data == Decision.DECLINED.value and not form.reason_id.data:
        return refuse(_("Choose the reason for declining."), ranking)
    changes = decisions.plan_bulk_decision(proposals, decision=form.decision.data)
    return render_template("review/bulk_confirm.html", form=form, changes=changes, decision_labels=DECISION_LABELS, unchanged=len(proposals) - len(changes),
                           reason=db.session.get(DecisionReason, int(form.reason_id.data)) if form.reason_id.data else None)


@bp.route("/ranking/bulk/apply", methods=["POST"])
@role_required(Role.CHAIR)
def apply_bulk_decision():
    """Apply a confirmed bulk decision, or refuse it whole when a proposal changed meanwhile."""
    consultation = _consultation_or_404()
    form = BulkDecisionForm()
    form.reason_id.choices = _reason_choices(consultation)
    proposals = _selected_proposals(consultation)
    if not form.validate_on_submit() or not proposals:
        abort(400)
    versions = {proposal.id: request.form.get(f"version_{proposal.id}", "") for proposal in proposals}
    try:
        changes = decisions.apply_bulk_decision(proposals, actor=current_user, decision=form.decision.data, versions=versions,
                                                reason_id=int(form.reason_id.data) if form.reason_id.data else None,
                                                note=form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("review.ranking"))
    db.session.commit()
    flash(_("%(count)d decisions applied; the submitters are told by e-mail.", count=len(changes)), "success")
    return redirect(url_for("review.ranking"))


@bp.route("/proposals/<int:proposal_id>/decision", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def decide(proposal_id: int):
    """The chair decides on one proposal."""
    consultation = _consultation_or_404()
    proposal = _proposal_or_404(proposal_id)
    form = DecisionForm(obj=None if request.method == "POST" else proposal)
    form.reason_id.choices = _reason_choices(consultation)
    if request.method == "GET":
        form.decision.data = proposal.decision.value
        form.reason_id.data = str(proposal.decision_reason_id or "")
        form.note.data = proposal.decision_note
        form.version_id.data = proposal.version_id
    status = _submit(form, lambda: decisions.decide_proposal(
        proposal, actor=current_user, decision=form.decision.data,
        reason_id=int(form.reason_id.data) if form.reason_id.data else None,
        note=form.note.data or "", expected_version=form.version_id.data))
    if status is None:
        flash(_("The decision on %(ref)s is saved.", ref=proposal.reference), "success")
        return redirect(url_for("review.ranking"))
    return render_template("review/decide.html", proposal=proposal, form=form), status


@bp.route("/selection")
@role_required(Role.CHAIR)
def selection():
    """The selection assistant: the best set within the chair's bounds, compared with the plain top-N."""
    consultation = _consultation_or_404()
    form = SelectionForm(request.args)
    result = None
    if request.args and form.validate():
        kind_bounds = {"thematic": (form.thematic_min.data, form.thematic_max.data),
                       "format": (form.format_min.data, form.format_max.data)}
        bounds = Bounds(slots=form.slots.data, max_type_share=float(form.max_type_share.data) / 100,
                        every_region=form.every_region.data, max_per_organization=form.max_per_organization.data,
                        kind_bounds={kind: pair for kind, pair in kind_bounds.items() if pair != (None, None)})
        options = queries.selection_options(consultation)
        chosen = select_proposals(options, bounds)
        plain = top_n(options, bounds.slots)
        rows = {row.proposal_id: row for row in queries.ranking_rows(consultation)}
        result = {"selection": chosen, "chosen": [rows[i] for i in chosen.ids],
                  "added": [rows[i] for i in chosen.ids if i not in plain],
                  "dropped": [rows[i] for i in plain if i not in set(chosen.ids)]}
    elif request.args:
        return render_template("review/selection.html", form=form, result=None), 422
    return render_template("review/selection.html", form=form, result=result)


# --- Chair: progress and exports -------------------------------------------------------------------------------

@bp.route("/progress")
@role_required(Role.CHAIR)
def progress():
    """Progress per reviewer and overall."""
    consultation = _consultation_or_404()
    people = queries.reviewer_progress(consultation)
    totals = {key: sum(getattr(person, key) for person in people) for key in ("assigned", "submitted", "drafts", "declined", "conflicts")}
    return render_template("review/progress.html", people=people, totals=totals)


@bp.route("/progress/remind", methods=["POST"])
@role_required(Role.CHAIR)
def remind():
    """Queue reminder e-mails to reviewers with open assignments."""
    count = services.remind_reviewers(_consultation_or_404(), actor=current_user)
    db.session.commit()
    flash(_("%(count)d reminders queued in the outbox.", count=count), "success")
    return redirect(url_for("review.progress"))


@bp.route("/export/ranking.<any(csv, xlsx):fmt>")
@role_required(Role.CHAIR)
def export_ranking(fmt: str):
    """The ranking as CSV or XLSX (chair only: it names the submitters' organizations)."""
    headers, rows = exports.ranking_table(queries.ranking_rows(_consultation_or_404()))
    return _file(_write(headers, rows, fmt, _("Ranking")), fmt, "ranking")
