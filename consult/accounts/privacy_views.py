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
from consult.boundary import ensure_valid, form_page
from consult.extensions import limiter
from consult.forms.accounts import AccountPolicyForm, CloseAccountForm


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
    form = form_page(CloseAccountForm(), lambda: render_template("accounts/close.html", form=form))
    if request.method == "GET":
        return render_template("accounts/close.html", form=form)
    ensure_valid(form)
    close_account(current_user._get_current_object(), password=form.password.data)
    logout_user()
    session.clear()
    flash(_("Your account is closed. Thank you for taking part."), "info")
    return redirect(url_for("main.index"), 303)


def _settings_page(form: AccountPolicyForm):
    return render_template("accounts/settings.html", form=form, notice=current_notice())


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def account_settings():
    """The chair sets the privacy notice shown at registration and the committee's two-factor rule."""
    form = form_page(AccountPolicyForm(), lambda: _settings_page(form))
    if request.method == "GET":
        notice = current_notice()
        form.privacy_notice.data = notice.body if notice else ""
        form.require_committee_two_factor.data = two_factor.account_policy().is_two_factor_required_for_committee
        return _settings_page(form)
    ensure_valid(form)
    published = save_account_settings(privacy_notice=form.privacy_notice.data,
                                      require_committee_two_factor=form.require_committee_two_factor.data,
                                      actor=current_user)
    if published is not None:
        flash(_("Privacy notice version %(version)d is published; new accounts accept it.", version=published.version),
              "success")
    flash(_("The account settings are saved."), "success")
    return redirect(url_for("accounts.account_settings"), 303)
