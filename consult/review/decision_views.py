"""The chair decides: the ranking, bulk and single decisions, the selection assistant, the ranking export."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult import reference
from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404
from consult.errors import ValidationError
from consult.extensions import db
from consult.forms.review import BulkDecisionForm, DecisionForm, RankingFilterForm, SelectionForm
from consult.proposals.models import DECISION_LABELS, Decision, Proposal
from consult.review import announcements, decisions, exports, queries, services
from consult.review.blueprint import bp, proposal_or_404, reason_choices, table_file
from consult.review.models import DecisionReason
from consult.review.ranking import DISAGREEMENT_RANGE, DISAGREEMENT_SD
from consult.review.selection import Bounds
from consult.views_helpers import is_query_submitted, page_number

BALANCE_LABELS = {
    "stakeholder_type": {member.value: label for member, label in reference.STAKEHOLDER_TYPE_LABELS.items()},
    "region": reference.REGION_LABELS,
    "gender": reference.GENDER_LABELS,
}


# --- Chair: ranking and decisions ------------------------------------------------------------------------------

@bp.route("/ranking")
@role_required(Role.CHAIR)
def ranking():
    """The ranking with raw and calibrated scores, disagreement, balance meters and bulk decisions."""
    consultation = consultation_or_404()
    filters = RankingFilterForm(request.args)
    if not filters.validate():
        abort(400)
    page = queries.ranking_page(consultation, page=page_number(), per_page=current_app.config["PAGE_SIZE"],
                                kind=filters.kind.data, action_line=filters.action_line.data,
                                stakeholder_type=filters.stakeholder_type.data, region=filters.region.data,
                                sort=filters.sort.data)
    bulk_form = BulkDecisionForm(formdata=None)
    bulk_form.reason_id.choices = reason_choices(consultation)
    return render_template("review/ranking.html", filters=filters, pagination=page, bulk_form=bulk_form,
                           missing=queries.missing_criterion_counts(consultation), balance=queries.balance(consultation),
                           disagreement_range=DISAGREEMENT_RANGE, disagreement_sd=DISAGREEMENT_SD,
                           decision_labels=DECISION_LABELS, balance_labels=BALANCE_LABELS,
                           held=announcements.count_held(consultation.id))


def _bulk_request() -> tuple[BulkDecisionForm, list[Proposal]]:
    """The posted bulk decision form (choices set) and the ticked proposals of the current consultation."""
    consultation = consultation_or_404()
    form = BulkDecisionForm()
    form.reason_id.choices = reason_choices(consultation)
    ids = {int(value) for value in request.form.getlist("proposal_ids") if value.isdigit()}
    return form, queries.submitted_proposals(consultation.id, ids)


def _render_bulk_confirm(form: BulkDecisionForm, proposals: list[Proposal]):
    """The confirmation of a bulk decision as the database stands now: what changes, and which reviews are unfinished."""
    changes = decisions.plan_bulk_decision(proposals, decision=form.decision.data)
    return render_template(
        "review/bulk_confirm.html",
        form=form,
        changes=changes,
        unfinished=[change for change in changes if change.unfinished],
        decision_labels=DECISION_LABELS,
        unchanged=len(proposals) - len(changes),
        reason=db.session.get(DecisionReason, int(form.reason_id.data)) if form.reason_id.data else None,
    )


@bp.route("/ranking/bulk", methods=["POST"])
@role_required(Role.CHAIR)
def bulk_decision():
    """The confirmation screen of a bulk decision: exactly what will change, from what to what."""
    form, proposals = _bulk_request()
    form_page(None, ranking)
    if not form.validate_on_submit() or not proposals:
        raise ValidationError(_("Tick at least one proposal and choose a decision."))
    if form.decision.data == Decision.DECLINED.value and not form.reason_id.data:
        raise ValidationError(_("Choose the reason for declining."))
    return _render_bulk_confirm(form, proposals)


@bp.route("/ranking/bulk/apply", methods=["POST"])
@role_required(Role.CHAIR)
def apply_bulk_decision():
    """Apply a confirmed bulk decision, or refuse it whole when a proposal changed meanwhile or reviews are unfinished."""
    form, proposals = _bulk_request()
    if not form.validate_on_submit() or not proposals:
        abort(400)
    versions = {proposal.id: request.form.get(f"version_{proposal.id}", "") for proposal in proposals}
    # Refused whole: the confirmation again as the database stands now, with the reason beside the field.
    form_page(form, lambda: _render_bulk_confirm(form, proposals))
    changes = decisions.apply_bulk_decision(proposals, actor=current_user, decision=form.decision.data, versions=versions,
                                            reason_id=int(form.reason_id.data) if form.reason_id.data else None,
                                            note=form.note.data or "", confirm_unfinished=form.confirm_unfinished.data)
    flash(ngettext("%(num)d decision applied. It is held until you announce it.",
                   "%(num)d decisions applied. They are held until you announce them.", len(changes)), "success")
    return redirect(url_for("review.held_decisions"))


@bp.route("/proposals/<int:proposal_id>/decision", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def decide(proposal_id: int):
    """The chair decides on one proposal."""
    consultation = consultation_or_404()
    proposal = proposal_or_404(proposal_id)
    if request.method == "GET":
        form = DecisionForm(formdata=None, data=_decision_data(proposal))
        form.reason_id.choices = reason_choices(consultation)
        return render_template("review/decide.html", proposal=proposal, form=form)
    form = form_page(DecisionForm(), lambda: render_template("review/decide.html", proposal=proposal, form=form),
                     saved=lambda: _decision_data(proposal))
    form.reason_id.choices = reason_choices(consultation)
    ensure_valid(form)
    decisions.decide_proposal(proposal, actor=current_user, decision=form.decision.data,
                              reason_id=int(form.reason_id.data) if form.reason_id.data else None,
                              note=form.note.data or "", expected_version=form.version_id.data)
    flash(_("The decision on %(ref)s is saved. It is held until you announce the decisions.", ref=proposal.reference),
          "success")
    return redirect(url_for("review.ranking"))


def _decision_data(proposal: Proposal) -> dict:
    """The decision form's data as saved on the proposal."""
    return {"decision": proposal.decision.value, "reason_id": str(proposal.decision_reason_id or ""),
            "note": proposal.decision_note, "version_id": proposal.version_id}


@bp.route("/selection")
@role_required(Role.CHAIR)
def selection():
    """The selection assistant: the best set within the chair's bounds, compared with the plain top-N."""
    consultation = consultation_or_404()
    # Submitted means the form's own fields are in the query: ?lang=fr alone shows the empty form, not a 422.
    submitted = is_query_submitted(SelectionForm)
    form = SelectionForm(request.args if submitted else None)
    result = None
    if submitted and form.validate():
        kind_bounds = {"thematic": (form.thematic_min.data, form.thematic_max.data),
                       "format": (form.format_min.data, form.format_max.data)}
        bounds = Bounds(slots=form.slots.data, max_type_share=float(form.max_type_share.data) / 100,
                        every_region=form.every_region.data, max_per_organization=form.max_per_organization.data,
                        kind_bounds={kind: pair for kind, pair in kind_bounds.items() if pair != (None, None)})
        result = services.propose_selection(consultation, bounds)
    elif submitted:
        return render_template("review/selection.html", form=form, result=None), 422
    return render_template("review/selection.html", form=form, result=result)


@bp.route("/export/ranking.<any(csv, xlsx):fmt>")
@role_required(Role.CHAIR)
def export_ranking(fmt: str):
    """The ranking as CSV or XLSX (chair only: it names the submitters' organizations)."""
    headers, rows = exports.ranking_table(queries.ranking_rows(consultation_or_404()))
    return table_file(headers, rows, fmt, "ranking", _("Ranking"))
