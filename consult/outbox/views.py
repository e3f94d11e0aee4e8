"""The chair browses the outbox (delivery is a queue job: consult/outbox/delivery.py)."""
import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.extensions import db
from consult.forms.outbox import OutboxFilterForm
from consult.outbox.models import MessageState, OutboxMessage
from consult.views_helpers import page_number

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


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
