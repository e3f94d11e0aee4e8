"""The chair browses the audit log."""
from flask import Blueprint, current_app, render_template, request

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.audit.queries import search_audit
from consult.forms.audit import AuditFilterForm
from consult.views_helpers import page_number

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@role_required(Role.CHAIR)
def log():
    """Every state change, newest first, filterable by action and object."""
    form = AuditFilterForm(request.args)
    form.validate()
    object_id = int(form.object_id.data) if (form.object_id.data or "").isdigit() else None
    pagination = search_audit(action=form.action.data or "", object_type=form.object_type.data or "",
                              object_id=object_id, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("audit/log.html", form=form, pagination=pagination)
