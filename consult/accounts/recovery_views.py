"""Forgotten password, e-mail verification, change of e-mail and of password."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from consult.accounts import recovery
from consult.accounts.blueprint import bp, password_check_limit
from consult.boundary import ensure_valid, form_page
from consult.extensions import limiter
from consult.forms.accounts import ChangeEmailForm, ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm


def _email_link_limit() -> str:
    return current_app.config["EMAIL_LINK_RATE_LIMIT"]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_email_link_limit, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address has an account or not."""
    form = form_page(ForgotPasswordForm(), lambda: render_template("accounts/forgot_password.html", form=form))
    if request.method == "GET":
        return render_template("accounts/forgot_password.html", form=form)
    ensure_valid(form)
    recovery.request_password_reset(form.email.data)
    flash(_("If an account uses %(email)s, a link to reset its password is on its way. It works for one hour.",
            email=form.email.data.strip()), "info")
    return redirect(url_for("accounts.login"), 303)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the link; an expired, used or tampered link says so (accounts' link handler)."""
    user = recovery.check_reset_token(token)
    form = form_page(ResetPasswordForm(), lambda: render_template("accounts/reset_password.html", form=form, user=user))
    if request.method == "GET":
        return render_template("accounts/reset_password.html", form=form, user=user)
    ensure_valid(form)
    recovery.reset_password(token, password=form.password.data)
    flash(_("Your password is changed and every other session is signed out. Sign in with the new password."),
          "success")
    return redirect(url_for("accounts.login"), 303)


@bp.route("/verify/<token>")
def verify_email(token: str):
    """Confirm the address from the link e-mailed to it."""
    recovery.verify_email(token)
    flash(_("Thank you: your e-mail address is confirmed."), "success")
    return redirect(url_for("accounts.profile") if current_user.is_authenticated else url_for("accounts.login"), 303)


@bp.route("/verify/resend", methods=["POST"])
@login_required
@limiter.limit(_email_link_limit)
def resend_verification():
    """Send the confirmation link again."""
    if current_user.is_email_verified:
        flash(_("Your e-mail address is confirmed already."), "info")
    else:
        recovery.send_verification(current_user)
        flash(_("A new confirmation link is on its way to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.profile"), 303)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@limiter.limit(password_check_limit, methods=["POST"])
def change_email():
    """Ask to use another address; it takes effect once confirmed from that address."""
    form = form_page(ChangeEmailForm(), lambda: render_template("accounts/change_email.html", form=form))
    if request.method == "GET":
        return render_template("accounts/change_email.html", form=form)
    ensure_valid(form)
    recovery.request_email_change(current_user, new_email=form.email.data, password=form.password.data)
    flash(_("A confirmation link is on its way to %(email)s. Until you open it, you sign in with %(old)s.",
            email=current_user.pending_email, old=current_user.email), "success")
    return redirect(url_for("accounts.profile"), 303)


@bp.route("/email/confirm/<token>")
def confirm_email_change(token: str):
    """Switch to the new address from the link e-mailed to it."""
    user = recovery.confirm_email_change(token)
    flash(_("Your account now uses %(email)s.", email=user.email), "success")
    return redirect(url_for("accounts.profile") if current_user.is_authenticated else url_for("accounts.login"), 303)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(password_check_limit, methods=["POST"])
def change_password():
    """Change one's password; every other session of the account is signed out, this one continues."""
    form = form_page(ChangePasswordForm(), lambda: render_template("accounts/change_password.html", form=form))
    if request.method == "GET":
        return render_template("accounts/change_password.html", form=form)
    ensure_valid(form)
    recovery.change_password(current_user, current_password=form.current_password.data,
                             new_password=form.new_password.data)
    # The session version moved on: this browser gets a cookie with the new one, the others are out.
    login_user(current_user._get_current_object())
    flash(_("Your password is changed. Your other sessions are signed out."), "success")
    return redirect(url_for("accounts.profile"), 303)
