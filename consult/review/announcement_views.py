"""The chair previews the held decisions' e-mails and announces them in one batch."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404
from consult.extensions import db
from consult.forms.review import ReleaseDecisionsForm
from consult.proposals.models import DECISION_LABELS
from consult.review import announcements
from consult.review.blueprint import bp
from consult.views_helpers import page_number


def _render_held(form: ReleaseDecisionsForm):
    """The held decisions, a page of their e-mails as they will leave, and the release button."""
    consultation = consultation_or_404()
    pagination = db.paginate(announcements.held_select(consultation.id), page=page_number(),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    emails = {email.proposal_id: email for email in announcements.decision_emails(list(pagination.items), consultation)}
    form.fingerprint.data = announcements.held_fingerprint(consultation.id)
    return render_template("review/held_decisions.html", form=form, pagination=pagination, emails=emails,
                           decision_labels=DECISION_LABELS, consultation=consultation)


@bp.route("/decisions/held")
@role_required(Role.CHAIR)
def held_decisions():
    """The decisions not yet announced, with a preview of each e-mail."""
    return _render_held(ReleaseDecisionsForm(formdata=None))


@bp.route("/decisions/release", methods=["POST"])
@role_required(Role.CHAIR)
def release_decisions():
    """Announce every held decision at once: the e-mails are queued, the submitters' pages show the decisions."""
    consultation = consultation_or_404()
    form = form_page(ReleaseDecisionsForm(), lambda: _render_held(form))
    ensure_valid(form)
    count = announcements.release_decisions(consultation, actor=current_user, expected_fingerprint=form.fingerprint.data)
    flash(ngettext("%(num)d decision announced: its e-mail is on its way.",
                   "%(num)d decisions announced: their e-mails are on their way.", count) if count
          else _("No decision was waiting: nothing was sent."), "success")
    return redirect(url_for("review.held_decisions"))
