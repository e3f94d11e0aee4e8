"""The committee's queue of proposals to classify: rows imported without action lines, with suggested labels."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import reference
from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import (
    consultation_or_404,
    current_consultation,
    is_phase_open,
    row_of_current_or_404,
)
from consult.extensions import db
from consult.forms.proposals import ClassifyForm
from consult.i18n import joined
from consult.proposals import classification
from consult.proposals.models import Proposal
from consult.views_helpers import page_number

bp = Blueprint("classification", __name__, url_prefix="/classify")


@bp.app_context_processor
def _navigation_helpers():
    def classify_count() -> int:
        consultation = current_consultation()
        return classification.count_to_classify(consultation.id) if consultation is not None else 0

    return {"classify_count": classify_count}


def _form_for(proposal: Proposal) -> ClassifyForm:
    """The form of one row, ticked with the best suggested action line and SDG."""
    form = ClassifyForm(prefix=f"p{proposal.id}", formdata=None)
    suggestion = classification.suggest_labels_for_proposal(proposal)
    form.action_lines.data = suggestion.codes[:1]
    form.sdgs.data = list(dict.fromkeys(proposal.sdg_numbers + suggestion.numbers[:1]))
    return form


def _render_queue(page: int, submitted: dict | None = None):
    consultation = consultation_or_404()
    pagination = db.paginate(classification.to_classify_select(consultation.id), page=page,
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    proposals = list(pagination.items)
    forms = {proposal.id: _form_for(proposal) for proposal in proposals}
    forms.update(submitted or {})
    return render_template(
        "proposals/classify.html", pagination=pagination, proposals=proposals, forms=forms,
        suggestions={proposal.id: classification.suggest_labels_for_proposal(proposal) for proposal in proposals},
        is_open=any(is_phase_open(consultation, kind) for kind in classification.CLASSIFY_PHASES),
        action_lines=reference.ACTION_LINES_BY_CODE, sdgs=reference.SDGS)


@bp.route("/")
@role_required(Role.REVIEWER)
def queue():
    """Proposals imported without action lines, each with the suggested labels to confirm or change."""
    return _render_queue(page_number())


@bp.route("/<int:proposal_id>", methods=["POST"])
@role_required(Role.REVIEWER)
def classify(proposal_id: int):
    """Confirm or change the suggested action lines and SDGs of one proposal; it leaves the queue."""
    proposal = row_of_current_or_404(Proposal, proposal_id)
    page = page_number()
    form = form_page(ClassifyForm(prefix=f"p{proposal.id}"), lambda: _render_queue(page, {proposal.id: form}))
    ensure_valid(form)
    classification.confirm_labels(proposal, actor=current_user, action_lines=form.action_lines.data,
                                  sdgs=form.sdgs.data or [])
    flash(_("%(reference)s is classified as %(codes)s.", reference=proposal.reference,
            codes=joined(form.action_lines.data)), "success")
    return redirect(url_for("classification.queue", page=page))
