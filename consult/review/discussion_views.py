"""Route of the committee's discussion of a proposal."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import is_phase_open
from consult.extensions import db
from consult.forms.review import DiscussionCommentForm
from consult.proposals.models import Proposal
from consult.review.discussion import DISCUSSION_PHASES, add_discussion_comment, can_discuss, discussion_of

bp = Blueprint("discussion", __name__, url_prefix="/review")


@bp.route("/proposals/<int:proposal_id>/discussion", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def thread(proposal_id: int):
    """The discussion of one proposal among its reviewers and the chair, and the form to add to it."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not can_discuss(current_user, proposal):
        abort(403)
    form = form_page(DiscussionCommentForm(), lambda: _render(proposal, form))
    if request.method == "GET":
        return _render(proposal, form)
    ensure_valid(form)
    add_discussion_comment(proposal, author=current_user, body=form.body.data)
    flash(_("Your comment is posted; the others are told by e-mail."), "success")
    return redirect(url_for("discussion.thread", proposal_id=proposal.id, _anchor="discussion-end"), 303)


def _render(proposal: Proposal, form: DiscussionCommentForm):
    is_open = any(is_phase_open(proposal.consultation, kind) for kind in DISCUSSION_PHASES)
    return render_template("review/discussion.html", proposal=proposal, comments=discussion_of(proposal), form=form,
                           is_open=is_open)
