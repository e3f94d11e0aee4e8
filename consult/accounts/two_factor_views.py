"""Two-factor sign-in: the code step of sign-in, enrolment, recovery codes, and the committee rule's gate."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from consult.accounts import two_factor
from consult.accounts.blueprint import bp, is_refused, password_check_limit
from consult.accounts.signin import PENDING_KEY, start_session, user_waiting_for_second_factor
from consult.boundary import ensure_valid, form_page
from consult.extensions import limiter
from consult.forms.accounts import EnableTwoFactorForm, PasswordCheckForm, TwoFactorCodeForm

# What a committee member who must enrol can still reach before enrolling.
ENROLMENT_EXEMPT = {"accounts.two_factor_setup", "accounts.logout", "accounts.two_factor_login", "static",
                    "main.health", "accounts.verify_email", "accounts.confirm_email_change"}


def _two_factor_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


@bp.before_app_request
def send_committee_to_enrolment():
    """While the chair requires two factors for the committee, a member without them enrols before anything else."""
    if not current_user.is_authenticated or not current_user.is_reviewer or current_user.has_two_factor:
        return None
    if request.endpoint in ENROLMENT_EXEMPT or not two_factor.is_two_factor_required(current_user):
        return None
    flash(_("The review committee signs in with two factors: set it up now to continue."), "info")
    return redirect(url_for("accounts.two_factor_setup"), 303 if request.method != "GET" else 302)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_two_factor_limit, methods=["POST"], deduct_when=is_refused)
def two_factor_login():
    """The second step of sign-in: a code from the app (or a recovery code)."""
    user, pending = user_waiting_for_second_factor()
    if user is None:
        session.pop(PENDING_KEY, None)
        if request.method == "POST":
            return render_template("accounts/link_invalid.html", retry_url=url_for("accounts.login"),
                                   message=_("Sign in with your e-mail address and password first: the code step "
                                             "waits five minutes at most."), retry_label=_("Sign in")), 400
        flash(_("Sign in with your e-mail address and password first."), "info")
        return redirect(url_for("accounts.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        if two_factor.verify_second_factor(user, form.code.data):
            start_session(user, remember=pending.get("remember", False))
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(pending.get("next") or url_for("main.index"), 303)
        form.code.errors = [_("This code is not right or was used already. Type the current code from your app.")]
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/two_factor_login.html", form=form), status


def _enrol_page(form: EnableTwoFactorForm):
    if form.secret.errors or not form.secret.data:
        form.secret.data = two_factor.new_secret()
    # The SVG is made by segno from our own data: no user markup can reach it.
    qr = Markup(two_factor.qr_svg(two_factor.provisioning_uri(current_user, form.secret.data)))  # noqa: S704  # nosec B704
    return render_template("accounts/two_factor_enrol.html", form=form, qr=qr, secret=form.secret.data)


def _status_page():
    """The two-factor page of an account that has it on (a refused change shows it again)."""
    return render_template("accounts/two_factor.html", remaining=two_factor.unused_recovery_codes(current_user),
                           password_form=PasswordCheckForm(formdata=None),
                           required=two_factor.is_two_factor_required(current_user))


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Turn two-factor sign-in on (a QR code and a first code) or see its state."""
    if current_user.has_two_factor:
        return _status_page()
    form = form_page(EnableTwoFactorForm(), lambda: _enrol_page(form))
    if request.method == "GET":
        form.secret.data = two_factor.new_secret()
        return _enrol_page(form)
    ensure_valid(form)
    codes = two_factor.enable_two_factor(current_user, secret=form.secret.data, code=form.code.data)
    flash(_("Two-factor sign-in is on."), "success")
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required
@limiter.limit(password_check_limit, methods=["POST"])
def regenerate_recovery_codes():
    """New recovery codes, after a password check; the old ones stop working."""
    form_page(None, _status_page)
    form = PasswordCheckForm()
    ensure_valid(form)
    codes = two_factor.regenerate_recovery_codes(current_user, password=form.password.data)
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.route("/two-factor/disable", methods=["POST"])
@login_required
@limiter.limit(password_check_limit, methods=["POST"])
def disable_two_factor():
    """Turn two-factor sign-in off, after a password check (not while the committee rule applies)."""
    form_page(None, _status_page)
    form = PasswordCheckForm()
    ensure_valid(form)
    two_factor.disable_two_factor(current_user, password=form.password.data, actor=current_user)
    flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("accounts.two_factor_setup"), 303)
