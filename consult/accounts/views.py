"""Registration, sign in and out, profile, and the chair's users page."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.accounts.models import Role, User
from consult.accounts.permissions import role_required
from consult.accounts.queries import search_users
from consult.accounts.services import authenticate, change_role, end_sessions, register_user, update_profile
from consult.boundary import ensure_valid, form_page
from consult.extensions import db, limiter
from consult.forms.accounts import ChangeRoleForm, LoginForm, ProfileForm, RegistrationForm, UserSearchForm
from consult.urls import safe_next_url
from consult.views_helpers import page_number

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _start_session(user: User, remember: bool = False) -> None:
    # A fresh session at sign-in: nothing from before (such as a fixed session) carries over.
    session.clear()
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a stakeholder account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = form_page(RegistrationForm(), lambda: render_template("accounts/register.html", form=form))
    if request.method == "GET":
        return render_template("accounts/register.html", form=form)
    ensure_valid(form)
    user = register_user(name=form.name.data, email=form.email.data, password=form.password.data,
                         organization=form.organization.data, stakeholder_type=form.stakeholder_type.data,
                         country=form.country.data)
    _start_session(user)
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
    return redirect(safe_next_url(request.args.get("next"), url_for("main.index")))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _is_failed_sign_in(response) -> bool:
    """Only refused attempts use up the limit: a successful sign-in (a redirect) is not an attack."""
    return response.status_code >= 400


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_is_failed_sign_in)
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(safe_next_url(request.args.get("next"), url_for("main.index")))
        form.password.errors = [_("Wrong e-mail address or password.")]
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.errorhandler(429)
def login_throttled(error):
    """Too many sign-in attempts: the sign-in page again, with the typed e-mail and the reason, as 429."""
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
    """See and change one's own details."""
    form = form_page(ProfileForm(obj=current_user), lambda: render_template("accounts/profile.html", form=form))
    if request.method == "GET":
        form.stakeholder_type.data = current_user.stakeholder_type.value
        return render_template("accounts/profile.html", form=form)
    ensure_valid(form)
    update_profile(current_user, name=form.name.data, organization=form.organization.data,
                   stakeholder_type=form.stakeholder_type.data, country=form.country.data)
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/users")
@role_required(Role.CHAIR)
def users():
    """The chair's searchable, paginated list of accounts."""
    form = UserSearchForm(request.args)
    form.validate()
    # A filter that failed validation (a hand-edited URL) is shown with its error and not applied.
    text = "" if form.q.errors else (form.q.data or "")
    role = "" if form.role.errors else (form.role.data or "")
    pagination = search_users(text=text, role=role, page=page_number(),
                              per_page=current_app.config["PAGE_SIZE"])
    return render_template("accounts/users.html", form=form, pagination=pagination, role_form=ChangeRoleForm(formdata=None))


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
