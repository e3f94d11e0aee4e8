"""The chair assigns reviewers: the panels, the automatic assignment, one reviewer by hand, removal."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.accounts.models import Role, User
from consult.accounts.permissions import role_required
from consult.accounts.queries import list_reviewers
from consult.boundary import form_page
from consult.consultations.queries import consultation_or_404
from consult.errors import ValidationError
from consult.extensions import db
from consult.forms import as_choices
from consult.forms.review import AutoAssignForm, ManualAssignForm
from consult.jobs.models import WorkKind
from consult.jobs.pages import add_work_routes, work_page_context
from consult.review import assignment as assigning
from consult.review import assignment_job, queries
from consult.review.blueprint import bp, proposal_or_404
from consult.review.models import ReviewAssignment
from consult.views_helpers import page_number

# --- Chair: assignment -----------------------------------------------------------------------------------------

add_work_routes(bp, kind=WorkKind.REVIEW_ASSIGNMENT, guard=role_required(Role.CHAIR),
                consultation_id=lambda: consultation_or_404().id, job_function=assignment_job.ASSIGN_JOB,
                page_endpoint="review.assignments", url_prefix="/assignments/jobs")

def _manual_form(consultation, formdata=None) -> ManualAssignForm:
    form = ManualAssignForm(formdata=formdata) if formdata is not None else ManualAssignForm()
    form.proposal_id.choices = as_choices(queries.submitted_proposal_choices(consultation.id))
    form.reviewer_id.choices = as_choices([(user.id, f"{user.name} ({user.organization})") for user in list_reviewers()])
    return form


@bp.route("/assignments")
@role_required(Role.CHAIR)
def assignments():
    """Every submitted proposal with its panel; the automatic assignment and the manual form."""
    consultation = consultation_or_404()
    pagination, panels = queries.assignment_panels(consultation, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    work = work_page_context(WorkKind.REVIEW_ASSIGNMENT, consultation.id, "review")
    run = work["work_job"]
    short_numbers = queries.proposal_numbers([pid for pid, _reason in run.outcome["short"]]) if run and run.outcome else {}
    return render_template("review/assignments.html", pagination=pagination, panels=panels, auto_form=AutoAssignForm(),
                           manual_form=_manual_form(consultation), short_numbers=short_numbers,
                           closed_reason=assigning.assignment_closed_reason(consultation), **work)


@bp.route("/assignments/auto", methods=["POST"])
@role_required(Role.CHAIR)
def assign_automatically():
    """Run the automatic assignment and report the proposals left short."""
    consultation = consultation_or_404()
    form = AutoAssignForm()
    if not form.validate_on_submit():
        abort(400)
    form_page(None, assignments)
    if assignment_job.runs_as_job(consultation):
        assignment_job.request_assignment(consultation, actor=current_user, include_chairs=form.include_chairs.data)
        flash(_("The assignment runs in the background; this page shows its progress."), "info")
        return redirect(url_for("review.assignments"))
    plan = assigning.assign_automatically(consultation, actor=current_user, include_chairs=form.include_chairs.data)
    flash(ngettext("%(num)d assignment made.", "%(num)d assignments made.", len(plan.pairs)), "success")
    numbers = queries.proposal_numbers(plan.short)
    for proposal_id, reason in sorted(plan.short.items())[:20]:
        flash(
            _("P-%(number)04d could not get enough reviewers: %(reason)s", number=numbers.get(proposal_id) or 0, reason=reason),
            "warning",
        )
    return redirect(url_for("review.assignments"))


@bp.route("/assignments/add", methods=["POST"])
@role_required(Role.CHAIR)
def add_assignment():
    """The chair assigns one reviewer by hand; conflicts and same-organization reviewers are refused."""
    consultation = consultation_or_404()
    form = _manual_form(consultation, request.form)
    form_page(None, assignments)
    if not form.validate_on_submit():
        raise ValidationError(_("Choose a proposal and a reviewer."))
    proposal = proposal_or_404(form.proposal_id.data)
    reviewer = db.get_or_404(User, form.reviewer_id.data)
    assigning.assign_reviewer(proposal, reviewer, actor=current_user)
    flash(_("%(name)s is assigned to %(ref)s.", name=reviewer.name, ref=proposal.reference), "success")
    return redirect(url_for("review.assignments"))


@bp.route("/assignments/<int:assignment_id>/remove", methods=["POST"])
@role_required(Role.CHAIR)
def remove_assignment(assignment_id: int):
    """The chair removes an assignment."""
    assignment = db.get_or_404(ReviewAssignment, assignment_id)
    if assignment.proposal.consultation_id != consultation_or_404().id:
        abort(404)
    form_page(None, assignments)
    assigning.remove_assignment(assignment, actor=current_user)
    flash(_("The assignment is removed."), "success")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("review.assignments"))
