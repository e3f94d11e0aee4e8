"""The privacy notice, one's data as JSON, closing one's account, and the chair's account settings."""
import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from consult.accounts import two_factor
from consult.accounts.blueprint import bp, password_check_limit
from consult.accounts.closing import close_account
from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.accounts.privacy import current_notice, export_personal_data, save_account_settings
from consult.errors import DomainError
from consult.extensions import limiter
from consult.forms.accounts import AccountPolicyForm, CloseAccountForm
from consult.views_helpers import attach_error


@bp.route("/privacy")
def privacy_notice():
    """The current privacy notice, for everyone."""
    return render_template("accounts/privacy_notice.html", notice=current_notice())


@bp.route("/data.json")
@login_required
def download_data():
    """Everything held about the signed-in person, as a JSON file."""
    data = export_personal_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="consult-my-data-{current_user.id}.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/close", methods=["GET", "POST"])
@login_required
@limiter.limit(password_check_limit, methods=["POST"])
def close():
    """Close one's own account: sign-in ends for good, the name leaves the submissions, which stay on record."""
    form = CloseAccountForm()
    if form.validate_on_submit():
        try:
            close_account(current_user._get_current_object(), password=form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            logout_user()
            session.clear()
            flash(_("Your account is closed. Thank you for taking part."), "info")
            return redirect(url_for("main.index"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/close.html", form=form), status


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def account_settings():
    """The chair sets the privacy notice shown at registration and the committee's two-factor rule."""
    form = AccountPolicyForm()
    notice = current_notice()
    if request.method == "GET":
        form.privacy_notice.data = notice.body if notice else ""
        form.require_committee_two_factor.data = two_factor.account_policy().is_two_factor_required_for_committee
    if form.validate_on_submit():
        try:
            published = save_account_settings(privacy_notice=form.privacy_notice.data,
                                              require_committee_two_factor=form.require_committee_two_factor.data,
                                              actor=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            if published is not None:
                flash(_("Privacy notice version %(version)d is published; new accounts accept it.",
                        version=published.version), "success")
            flash(_("The account settings are saved."), "success")
            return redirect(url_for("accounts.account_settings"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/settings.html", form=form, notice=notice), status
