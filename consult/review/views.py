"""Routes of the review area for reviewers: the queue, the review form, conflicts, declines, one's reviews.

The chair's pages are in committee_views.py (criteria, reasons, settings, progress), assignment_views.py,
decision_views.py (ranking, decisions, selection) and announcement_views.py (held decisions announced in one batch);
every module adds its routes to the one blueprint `bp`.
"""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import is_chair, role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.models import PhaseKind
from consult.consultations.queries import consultation_or_404
from consult.consultations.times import phase_window
from consult.forms.review import ReasonTextForm, make_review_form
from consult.proposals.classification import labels_json, suggest_labels_for_proposal
from consult.proposals.models import Proposal
from consult.proposals.permissions import can_see_identity
from consult.review import (  # noqa: F401  (their routes, on bp)
    announcement_views,
    assignment_views,
    committee_views,
    decision_views,
    exports,
    queries,
    services,
)
from consult.review.blueprint import bp, proposal_or_404, table_file
from consult.review.models import Review
from consult.review.permissions import can_review, has_conflict, is_assigned
from consult.review.presenters import reviewer_view_of
from consult.views_helpers import page_number

__all__ = ["bp"]


# --- Reviewer -------------------------------------------------------------------------------------------------

@bp.route("/queue")
@role_required(Role.REVIEWER)
def queue():
    """The reviewer's assigned proposals, to do or done."""
    consultation = consultation_or_404()
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
    consultation = consultation_or_404()
    proposal = proposal_or_404(proposal_id)
    if not can_review(current_user, proposal):
        abort(403)
    criteria = services.criteria_of(consultation)
    criterion_data = services.criterion_dicts(criteria)
    form = make_review_form(criterion_data, queries.submitted_proposal_choices(proposal.consultation_id, exclude_id=proposal.id))
    if request.method == "GET":
        for name, value in (_own_review_data(queries.own_review(proposal, current_user)) or {}).items():
            if name in form:  # a score of a criterion since made inactive has no field
                form[name].data = value
    form_page(form, lambda: _render_score_page(consultation, proposal, form, criteria),
              saved=lambda: _own_review_data(queries.own_review(proposal, current_user)))
    if request.method == "GET":
        return _render_score_page(consultation, proposal, form, criteria)
    ensure_valid(form)
    submit = bool(form.submit.data)
    services.save_review(
        proposal, reviewer=current_user,
        scores={int(name.split("_")[1]): form[name].data for name in form.score_field_names},
        recommendation=form.recommendation.data or None,
        merge_with_id=int(form.merge_with_id.data) if (form.merge_with_id.data or "").isdigit() else None,
        comment_to_committee=form.comment_to_committee.data or "", comment_to_submitter=form.comment_to_submitter.data or "",
        submit=submit, expected_version=form.version_id.data)
    flash(_("Your review is submitted.") if submit else _("Your draft is saved."), "success")
    if submit:
        return redirect(url_for("review.queue"))
    return redirect(url_for("review.score_proposal", proposal_id=proposal.id))


def _own_review_data(own: Review | None) -> dict | None:
    """The reviewer's saved review as the review form's data."""
    if own is None:
        return None
    data = {f"score_{score.criterion_id}": score.value for score in own.scores}
    data.update(recommendation=own.recommendation.value if own.recommendation else None,
                merge_with_id=str(own.merge_with_id or ""), comment_to_committee=own.comment_to_committee,
                comment_to_submitter=own.comment_to_submitter, version_id=own.version_id)
    return data


def _render_score_page(consultation, proposal: Proposal, form, criteria):
    own = queries.own_review(proposal, current_user)
    show_others = services.can_read_others_reviews(current_user, consultation, own)
    window, when = phase_window(consultation, PhaseKind.REVIEW)
    closed_message = {
        "not_yet": _("The review opens on %(when)s; the form appears then.", when=when),
        "closed": _("The review closed on %(when)s: your review is kept as it was and can no longer be changed.", when=when),
    }.get(window, "")
    return render_template("review/score_proposal.html", proposal=reviewer_view_of(proposal, current_user, consultation),
                           review_open=window == "open", review_closed_message=closed_message,
                           form=form, own=own, criteria=criteria, show_others=show_others,
                           others=queries.other_reviews(proposal, current_user) if show_others else [],
                           is_assigned=is_assigned(current_user, proposal),
                           labels=labels_json(suggest_labels_for_proposal(proposal)))


def _reason_page(proposal_id: int, *, template: str, action):
    consultation = consultation_or_404()
    proposal = proposal_or_404(proposal_id)
    if has_conflict(current_user, proposal) or proposal.submitter_id == current_user.id:
        abort(403)
    if not (is_assigned(current_user, proposal) or is_chair(current_user)):
        abort(403)
    form = form_page(ReasonTextForm(), lambda: render_template(
        template, proposal=reviewer_view_of(proposal, current_user, consultation), form=form))
    if request.method == "GET":
        return render_template(template, proposal=reviewer_view_of(proposal, current_user, consultation), form=form)
    ensure_valid(form)
    action(proposal, reviewer=current_user, reason=form.reason.data)
    flash(_("Done: %(ref)s is off your queue and its slot is free for another reviewer.", ref=proposal.reference), "success")
    return redirect(url_for("review.queue"))


@bp.route("/proposals/<int:proposal_id>/conflict", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def declare_conflict(proposal_id: int):
    """A reviewer declares a conflict of interest with a proposal."""
    return _reason_page(proposal_id, template="review/declare_conflict.html", action=services.declare_conflict)


@bp.route("/proposals/<int:proposal_id>/decline", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def decline_assignment(proposal_id: int):
    """A reviewer declines an assignment with a reason."""
    if is_chair(current_user) and not is_assigned(current_user, proposal_or_404(proposal_id)):
        abort(403)
    return _reason_page(proposal_id, template="review/decline_assignment.html", action=services.decline_assignment)


@bp.route("/export/reviews.<any(csv, xlsx):fmt>")
@role_required(Role.REVIEWER)
def export_reviews(fmt: str):
    """Reviews as CSV or XLSX: every review for the chair, one's own (blind if the review is) for a reviewer."""
    consultation = consultation_or_404()
    reviews = queries.reviews_for_export(consultation.id, reviewer_id=None if is_chair(current_user) else current_user.id)
    headers, rows = exports.reviews_table(reviews, services.criteria_of(consultation),
                                          identity_visible=can_see_identity(current_user, consultation))
    return table_file(headers, rows, fmt, "reviews", _("Reviews"))
