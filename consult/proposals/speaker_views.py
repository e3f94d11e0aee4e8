"""Routes of speakers' own answers (a signed link, no account) and the chair's list of unconfirmed speakers."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404
from consult.forms.proposals import SpeakerAnswerForm
from consult.proposals.speakers import answer_invitation, speaker_for_token, unconfirmed_speakers

bp = Blueprint("speakers", __name__)


@bp.route("/speakers/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The speaker's page from their e-mail: the proposal, and buttons to confirm or decline."""
    speaker = speaker_for_token(token)
    if speaker is None:
        abort(404)
    form = form_page(SpeakerAnswerForm(), lambda: _render(speaker, form))
    if request.method == "GET":
        return _render(speaker, form)
    ensure_valid(form)
    answer_invitation(speaker, confirm=bool(form.confirm.data))
    flash(_("Thank you: your answer is recorded and the submitter is told.") if form.confirm.data
          else _("Your answer is recorded: the submitter is told that you decline."), "success")
    return redirect(url_for("speakers.answer", token=token), 303)


def _render(speaker, form):
    return render_template("proposals/speaker_answer.html", speaker=speaker, proposal=speaker.proposal, form=form)


@bp.route("/proposals/chair/speakers")
@role_required(Role.CHAIR)
def unconfirmed():
    """Speakers of accepted proposals who have not confirmed yet, with how they were asked."""
    consultation = consultation_or_404()
    return render_template("proposals/unconfirmed_speakers.html", speakers=unconfirmed_speakers(consultation.id))
