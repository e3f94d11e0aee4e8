"""Help while drafting: action lines and SDGs suggested from the text, and a message to similar proposals' authors."""
from types import SimpleNamespace

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404, row_of_current_or_404
from consult.forms.proposals import ContactAuthorsForm, LabelSuggestionForm
from consult.proposals import classification, contact
from consult.proposals.models import Proposal
from consult.proposals.similarity import proposal_text
from consult.reference import LANGUAGE_LABELS
from consult.textmodel.languages import DEFAULT_LANGUAGE, detect_language

bp = Blueprint("drafting", __name__, url_prefix="/proposals")
TEXT_FIELDS = ("title", "summary", "description", "keywords")


@bp.route("/suggest-labels", methods=["POST"])
@login_required
def suggest_labels():
    """Suggested action lines and SDGs for the text being drafted (JSON, for the form's script)."""
    form = LabelSuggestionForm()
    if not form.validate_on_submit():
        return jsonify({"errors": form.errors}), 422
    text = proposal_text(SimpleNamespace(**{name: form[name].data or "" for name in TEXT_FIELDS}))
    if not text.strip():
        return jsonify({"action_lines": [], "sdgs": [], "language": None})
    detected = detect_language(text)
    language = form.language.data if form.language.data in LANGUAGE_LABELS else detected or DEFAULT_LANGUAGE
    (suggestion,) = classification.suggest_labels_for_texts(consultation_or_404().id, [text], languages=[language])
    return jsonify({**classification.labels_json(suggestion),
                    "language": {"code": detected, "label": str(LANGUAGE_LABELS[detected])} if detected else None})


def _pair_or_404(proposal_id: int, other_id: int) -> tuple[Proposal, Proposal]:
    about = row_of_current_or_404(Proposal, proposal_id)
    other = row_of_current_or_404(Proposal, other_id)
    if about.submitter_id != current_user.id:
        abort(404)
    return about, other


@bp.route("/<int:proposal_id>/contact/<int:other_id>", methods=["GET", "POST"])
@login_required
def contact_authors(proposal_id: int, other_id: int):
    """Write to the authors of a published proposal similar to one's own, without seeing their address."""
    about, other = _pair_or_404(proposal_id, other_id)
    if not contact.can_contact(current_user, about, other):
        abort(403)
    form = form_page(ContactAuthorsForm(),
                     lambda: render_template("proposals/contact.html", form=form, about=about, other=other))
    if not form.is_submitted():
        return render_template("proposals/contact.html", form=form, about=about, other=other)
    ensure_valid(form)
    contact.contact_authors(other, sender=current_user, about=about, message=form.message.data)
    flash(_("Your message is on its way to the authors of %(reference)s.", reference=other.reference), "success")
    return redirect(url_for("proposals.preview", proposal_id=about.id), 303)
