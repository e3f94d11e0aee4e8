"""Registration, sign in and out, profile, and the chair's users page."""
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from consult.accounts import invitation_views, privacy_views, recovery_views, two_factor_views  # noqa: F401 (routes)
from consult.accounts.blueprint import bp, ensure_registration_valid, is_refused, password_check_limit
from consult.accounts.language import set_language
from consult.accounts.models import Role, User
from consult.accounts.permissions import role_required
from consult.accounts.privacy import current_notice
from consult.accounts.recovery import register_stakeholder
from consult.accounts.services import authenticate, change_role, end_sessions, update_profile
from consult.accounts.signin import hold_for_second_factor, login_needs_second_factor, start_session
from consult.boundary import ensure_valid, form_page
from consult.extensions import db, limiter
from consult.forms.accounts import ChangeRoleForm, InvitationForm, LanguageForm, LoginForm, ProfileForm, RegistrationForm
from consult.i18n import set_language_cookie
from consult.urls import safe_next_url


def _register_page(form: RegistrationForm):
    # The notice shown is the current one, and the version the form carries with it.
    notice = current_notice()
    if notice is not None:
        form.notice_version.data = str(notice.version)
    return render_template("accounts/register.html", form=form, notice=notice)


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a stakeholder account, accepting the privacy notice when there is one."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = form_page(RegistrationForm(), lambda: _register_page(form))
    if request.method == "GET":
        return _register_page(form)
    ensure_registration_valid(form, email=form.email.data)
    user = register_stakeholder(name=form.name.data, email=form.email.data, password=form.password.data,
                                organization=form.organization.data, stakeholder_type=form.stakeholder_type.data,
                                country=form.country.data, notice_version=form.accepted_notice_version(),
                                locale=str(get_locale()))
    start_session(user)
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
    return redirect(safe_next_url(request.args.get("next"), url_for("main.index")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(password_check_limit, methods=["POST"], deduct_when=is_refused)
def login():
    """Sign in with e-mail and password (then a code, for accounts with two-factor sign-in)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            next_url = safe_next_url(request.args.get("next"), url_for("main.index"))
            if login_needs_second_factor(user):
                hold_for_second_factor(user, remember=form.remember.data, next_url=next_url)
                return redirect(url_for("accounts.two_factor_login"))
            start_session(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(next_url)
        form.password.errors = [_("Wrong e-mail address or password.")]
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.errorhandler(429)
def login_throttled(error):
    """Too many attempts: the sign-in page (or the page throttled) again, with the reason, as 429."""
    if request.endpoint != "accounts.login":
        return render_template("errors/error.html", status=429, title=_("Too many attempts"),
                               message=_("Too many attempts in a short time. Wait a minute and try again.")), 429
    form = LoginForm()
    form.password.data = None
    form.form_errors.append(_("Too many sign-in attempts in a short time. Wait a minute and try again."))
    return render_template("accounts/login.html", form=form), 429


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out and end every session of this account."""
    end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """See and change one's own details; links to e-mail, password, two factors, data and closing."""
    form = form_page(ProfileForm(obj=current_user), lambda: render_template("accounts/profile.html", form=form))
    if request.method == "GET":
        form.stakeholder_type.data = current_user.stakeholder_type.value
        form.locale.data = current_user.locale or str(get_locale())
        return render_template("accounts/profile.html", form=form)
    ensure_valid(form)
    update_profile(current_user, name=form.name.data, organization=form.organization.data,
                   stakeholder_type=form.stakeholder_type.data, country=form.country.data)
    response = redirect(url_for("accounts.profile"))
    if form.locale.data:
        set_language(current_user, form.locale.data)
        set_language_cookie(response, form.locale.data)
    # This request's language was chosen before any change: the message is written in the one saved now.
    with force_locale(current_user.locale or str(get_locale())):
        flash(_("Your profile is saved."), "success")
    return response


@bp.route("/language", methods=["POST"])
def choose_language():
    """The switcher: this browser (and a signed-in person's account) keeps the language chosen; back to the page."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400, description=_("Choose one of the languages offered."))
    if current_user.is_authenticated:
        set_language(current_user, form.lang.data)
    response = redirect(safe_next_url(form.next.data, url_for("main.index")), 303)
    set_language_cookie(response, form.lang.data)
    return response


@bp.route("/users")
@role_required(Role.CHAIR)
def users():
    """The chair's searchable, paginated list of accounts, the invitation form and the pending invitations."""
    return invitation_views.users_page(InvitationForm(formdata=None))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required(Role.CHAIR)
def set_role(user_id: int):
    """The chair changes a user's role."""
    user = db.get_or_404(User, user_id)
    form = ChangeRoleForm()
    if not form.validate_on_submit():
        # Only a tampered or expired form gets here: the choices are fixed.
        abort(400, description=_("Choose a valid role."))
    # A refusal (the last chair cannot step down) shows the list of users again with the reason.
    form_page(None, users)
    change_role(user, Role(form.role.data), actor=current_user)
    flash(_("%(name)s is now %(role)s.", name=user.name, role=form.role.data), "success")
    return redirect(url_for("accounts.users", q=user.email), 303)
