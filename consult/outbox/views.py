"""The chair browses the outbox; every request delivers what it queued once it committed."""
import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.extensions import db
from consult.forms.outbox import OutboxFilterForm
from consult.outbox.delivery import COMMITTED_KEY, deliver_committed
from consult.outbox.models import MessageState, OutboxMessage
from consult.views_helpers import page_number

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


@bp.after_app_request
def deliver_after_request(response):
    """Send (or log) the e-mails of this request's committed transactions before the response leaves."""
    if db.session.info.get(COMMITTED_KEY):
        try:
            deliver_committed()
        except Exception:  # delivery must never turn a successful request into an error page
            db.session.rollback()
            current_app.logger.exception("Outbox delivery failed; `flask --app consult send-outbox` retries it.")
    return response


@bp.route("/")
@role_required(Role.CHAIR)
def messages():
    """Every stored e-mail, newest first, with its delivery state; filtered by state."""
    form = OutboxFilterForm(request.args)
    form.validate()
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if form.state.data in {state.value for state in MessageState}:
        query = query.where(OutboxMessage.state == MessageState(form.state.data))
    pagination = db.paginate(query, page=page_number(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("outbox/messages.html", pagination=pagination, form=form)


@bp.route("/<int:message_id>")
@role_required(Role.CHAIR)
def message(message_id: int):
    """One stored e-mail in full."""
    return render_template("outbox/message.html", message=db.get_or_404(OutboxMessage, message_id))
