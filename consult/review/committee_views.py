"""The chair's committee pages of the review area: criteria, decision reasons, review settings, progress."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404, row_of_current_or_404
from consult.forms.review import CriterionForm, DecisionReasonForm, ReviewSettingsForm
from consult.reference import in_reader_language
from consult.review import queries, services
from consult.review.blueprint import bp
from consult.review.models import Criterion, DecisionReason

# --- Chair: criteria, reasons, settings ------------------------------------------------------------------------

def _criterion_fields(form: CriterionForm) -> dict:
    return {"name": form.name.data, "description": form.description.data or "", "weight": form.weight.data,
            "scale_min": form.scale_min.data, "scale_max": form.scale_max.data, "is_required": form.is_required.data,
            "position": form.position.data, "is_active": form.is_active.data, "guide": form.guide.data or {}}


@bp.route("/criteria", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def criteria():
    """The consultation's criteria and decision reasons, and a form to add a criterion."""
    consultation = consultation_or_404()
    form = form_page(CriterionForm(), lambda: _render_criteria(consultation, form))
    if request.method == "GET":
        form.position.data = services.next_position(Criterion, consultation.id)
        return _render_criteria(consultation, form)
    ensure_valid(form)
    services.create_criterion(consultation, actor=current_user, **_criterion_fields(form))
    flash(_("The criterion is added."), "success")
    return redirect(url_for("review.criteria"))


def _render_criteria(consultation, form: CriterionForm):
    return render_template("review/criteria.html", criteria=services.criteria_of(consultation),
                           reasons=queries.decision_reasons(consultation.id), form=form,
                           reason_form=DecisionReasonForm(formdata=None,
                                                          position=services.next_position(DecisionReason, consultation.id)))


@bp.route("/criteria/defaults", methods=["POST"])
@role_required(Role.CHAIR)
def default_criteria():
    """Create the default OCP criteria and decision reasons when there are none."""
    services.ensure_default_criteria(consultation_or_404(), actor=current_user)
    flash(_("The default criteria and decision reasons are in place."), "success")
    return redirect(url_for("review.criteria"))


@bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def edit_criterion(criterion_id: int):
    """The chair edits a criterion; scores already given are kept."""
    criterion = row_of_current_or_404(Criterion, criterion_id)
    form = form_page(CriterionForm(obj=criterion),
                     lambda: render_template("review/edit_criterion.html", criterion=criterion, form=form))
    if request.method == "GET":
        # The texts read in the reader's language; unchanged, a default stays the default (services.kept_default).
        form.name.data, form.description.data = in_reader_language(criterion.name), in_reader_language(criterion.description)
        form.guide.data = {value: in_reader_language(meaning) for value, meaning in (criterion.guide or {}).items()}
        return render_template("review/edit_criterion.html", criterion=criterion, form=form)
    ensure_valid(form)
    services.update_criterion(criterion, actor=current_user, **_criterion_fields(form))
    flash(_("The criterion is saved."), "success")
    return redirect(url_for("review.criteria"))


@bp.route("/reasons", methods=["POST"])
@bp.route("/reasons/<int:reason_id>", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def edit_reason(reason_id: int | None = None):
    """The chair adds or edits a decision reason code."""
    consultation = consultation_or_404()
    reason = row_of_current_or_404(DecisionReason, reason_id) if reason_id else None
    form = form_page(DecisionReasonForm(obj=reason), lambda: render_template("review/edit_reason.html", reason=reason, form=form))
    if request.method == "GET":
        if reason is not None:
            form.label.data = in_reader_language(reason.label)
        return render_template("review/edit_reason.html", reason=reason, form=form)
    ensure_valid(form)
    services.save_decision_reason(consultation, actor=current_user, code=form.code.data, label=form.label.data,
                                  position=form.position.data, reason=reason)
    flash(_("The decision reason is saved."), "success")
    return redirect(url_for("review.criteria"))


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def settings():
    """Blind review, the visibility of others' reviews and the number of reviewers per proposal."""
    consultation = consultation_or_404()
    form = form_page(ReviewSettingsForm(obj=consultation), lambda: render_template("review/settings.html", form=form),
                     saved=lambda: consultation)
    if request.method == "GET":
        form.review_visibility.data = consultation.review_visibility.value
        form.version_id.data = consultation.version_id
        return render_template("review/settings.html", form=form)
    ensure_valid(form)
    services.update_review_settings(
        consultation, actor=current_user, is_blind_review=form.is_blind_review.data,
        review_visibility=form.review_visibility.data, reviewers_per_proposal=form.reviewers_per_proposal.data,
        is_feedback_released=form.is_feedback_released.data, expected_version=form.version_id.data)
    flash(_("The review settings are saved."), "success")
    return redirect(url_for("review.settings"))


# --- Chair: progress ------------------------------------------------------------------------------------------

@bp.route("/progress")
@role_required(Role.CHAIR)
def progress():
    """Progress per reviewer and overall."""
    consultation = consultation_or_404()
    people = queries.reviewer_progress(consultation)
    totals = {
        key: sum(getattr(person, key) for person in people)
        for key in ("assigned", "submitted", "drafts", "declined", "conflicts")
    }
    return render_template("review/progress.html", people=people, totals=totals)


@bp.route("/progress/remind", methods=["POST"])
@role_required(Role.CHAIR)
def remind():
    """Queue reminder e-mails to reviewers with open assignments."""
    count = services.remind_reviewers(consultation_or_404(), actor=current_user)
    flash(ngettext("%(num)d reminder queued in the outbox.", "%(num)d reminders queued in the outbox.", count), "success")
    return redirect(url_for("review.progress"))
