"""The chair's users page: invitations (sent, re-sent, revoked, accepted from the link) and two-factor resets."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from consult.accounts import invitations, two_factor
from consult.accounts.blueprint import bp, ensure_registration_valid
from consult.accounts.models import Invitation, Role, User
from consult.accounts.permissions import role_required
from consult.accounts.privacy import current_notice
from consult.accounts.queries import search_users
from consult.accounts.signin import start_session
from consult.boundary import ensure_valid, form_page
from consult.extensions import db
from consult.forms.accounts import AcceptInvitationForm, ChangeRoleForm, InvitationForm, UserSearchForm
from consult.views_helpers import page_number


def users_page(invite_form: InvitationForm):
    """The chair's users page: the searchable list of accounts, the invitation form and the pending invitations."""
    form = UserSearchForm(request.args)
    form.validate()
    # A filter that failed validation (a hand-edited URL) is shown with its error and not applied.
    text = "" if form.q.errors else (form.q.data or "")
    role = "" if form.role.errors else (form.role.data or "")
    pagination = search_users(text=text, role=role, page=page_number(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("accounts/users.html", form=form, pagination=pagination,
                           role_form=ChangeRoleForm(formdata=None), invite_form=invite_form,
                           invitations=invitations.pending_invitations())


def _users_page_again():
    return users_page(InvitationForm(formdata=None))


@bp.route("/invitations", methods=["POST"])
@role_required(Role.CHAIR)
def invite():
    """Send an invitation; a refused one shows the users page again with the typed values and the reason."""
    form = form_page(InvitationForm(), lambda: users_page(form))
    ensure_valid(form)
    invitation = invitations.invite_user(name=form.name.data, email=form.email.data, role=Role(form.role.data),
                                         organization=form.organization.data, actor=current_user,
                                         locale=form.locale.data or None)
    flash(_("An invitation is on its way to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("accounts.users"), 303)


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@role_required(Role.CHAIR)
def resend_invitation(invitation_id: int):
    """Send an invitation again with a fresh link."""
    invitation = db.get_or_404(Invitation, invitation_id)
    form_page(None, _users_page_again)
    invitations.resend_invitation(invitation, actor=current_user)
    flash(_("The invitation is sent again to %(email)s; the earlier link no longer works.", email=invitation.email),
          "success")
    return redirect(url_for("accounts.users"), 303)


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@role_required(Role.CHAIR)
def revoke_invitation(invitation_id: int):
    """Withdraw a pending invitation."""
    invitation = db.get_or_404(Invitation, invitation_id)
    form_page(None, _users_page_again)
    invitations.revoke_invitation(invitation, actor=current_user)
    flash(_("The invitation to %(email)s is revoked.", email=invitation.email), "success")
    return redirect(url_for("accounts.users"), 303)


@bp.route("/users/<int:user_id>/two-factor/disable", methods=["POST"])
@role_required(Role.CHAIR)
def reset_two_factor(user_id: int):
    """The chair turns a member's two-factor sign-in off (a lost device); they enrol again at their next sign-in."""
    user = db.get_or_404(User, user_id)
    form_page(None, _users_page_again)
    two_factor.disable_two_factor(user, actor=current_user)
    flash(_("Two-factor sign-in of %(name)s is off.", name=user.name), "success")
    return redirect(url_for("accounts.users", q=user.email), 303)


def _accept_page(form: AcceptInvitationForm, invitation: Invitation):
    notice = current_notice()
    if notice is not None:
        form.notice_version.data = str(notice.version)
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation, notice=notice,
                           role_label=invitations.ROLE_LABELS[invitation.role])


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """The invited person chooses a password and completes their profile, then is signed in."""
    invitation = invitations.invitation_of_token(token)
    form = form_page(AcceptInvitationForm(), lambda: _accept_page(form, invitation))
    if request.method == "GET":
        form.name.data, form.organization.data = invitation.name, invitation.organization
        return _accept_page(form, invitation)
    ensure_registration_valid(form, email=None)  # the address is the invitation's
    user = invitations.accept_invitation(
        token, name=form.name.data, password=form.password.data, organization=form.organization.data,
        stakeholder_type=form.stakeholder_type.data, country=form.country.data,
        notice_version=form.accepted_notice_version(), locale=str(get_locale()))
    if current_user.is_authenticated:
        logout_user()
    start_session(user)
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
    return redirect(url_for("main.index"), 303)
