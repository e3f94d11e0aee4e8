"""Forms of the accounts area."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from consult import reference
from consult.forms import Visible, as_choices, label_filter
from consult.i18n import language_choices

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 200


def _country_choices():
    return as_choices([("", _l("Choose a country"))] + reference.country_choices())


def _stakeholder_choices():
    return as_choices([("", _l("Choose a stakeholder type"))] + reference.stakeholder_type_choices())


class RegistrationForm(FlaskForm):
    """A stakeholder creates an account."""

    name = StringField(_l("Full name"), filters=[label_filter], validators=[DataRequired(), Visible(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)])
    password = PasswordField(
        _l("Password"),
        description=_l("At least %(min)d characters.", min=PASSWORD_MIN_LENGTH),
        validators=[InputRequired(), Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH)],
    )
    confirm_password = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    organization = StringField(
        _l("Organization"), filters=[label_filter], validators=[DataRequired(), Visible(), Length(max=200)]
    )
    stakeholder_type = SelectField(_l("Stakeholder type"), choices=_stakeholder_choices, validators=[DataRequired()])
    # validate_country gives a clearer message than WTForms' generic "Not a valid choice".
    country = SelectField(_l("Country"), choices=_country_choices, validators=[DataRequired()], validate_choice=False)
    # Shown, and required by the service, when the chair has written a privacy notice.
    accept_privacy = BooleanField(_l("I have read the privacy notice and agree to it"))
    notice_version = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,6}$")])
    submit = SubmitField(_l("Create account"))

    def accepted_notice_version(self) -> int | None:
        """The notice version the person ticked their agreement to, or None."""
        if not (self.accept_privacy.data and self.notice_version.data):
            return None
        try:
            return int(self.notice_version.data)
        except (TypeError, ValueError):  # a tampered hidden field: as if nothing was accepted
            return None

    def validate_country(self, field):
        if not reference.is_country_code(field.data):
            raise ValidationError(_l("Choose a country from the list."))


class LoginForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=PASSWORD_MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ProfileForm(FlaskForm):
    """A user updates their own details; proposals already submitted keep the details they had."""

    name = StringField(_l("Full name"), filters=[label_filter], validators=[DataRequired(), Visible(), Length(max=120)])
    organization = StringField(
        _l("Organization"), filters=[label_filter], validators=[DataRequired(), Visible(), Length(max=200)]
    )
    stakeholder_type = SelectField(_l("Stakeholder type"), choices=_stakeholder_choices, validators=[DataRequired()])
    country = SelectField(_l("Country"), choices=_country_choices, validators=[DataRequired()], validate_choice=False)
    # Optional: a form posted without it (an older page, a script) keeps the language saved.
    locale = SelectField(_l("Language"), choices=language_choices, validators=[Optional()],
                         description=_l("The language of the pages and of the e-mails you receive."))
    submit = SubmitField(_l("Save profile"))

    validate_country = RegistrationForm.validate_country


class LanguageForm(FlaskForm):
    """The language switcher of a signed-in person: the language chosen, and the page to come back to."""

    lang = SelectField(_l("Language"), choices=language_choices, validators=[DataRequired()])
    next = HiddenField(validators=[Optional(), Length(max=2000)])


def _new_password_field(label) -> PasswordField:
    return PasswordField(
        label, description=_l("At least %(min)d characters.", min=PASSWORD_MIN_LENGTH),
        validators=[InputRequired(), Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH)],
    )


class ForgotPasswordForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)])
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = _new_password_field(_l("New password"))
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Set the new password"))


class ChangePasswordForm(FlaskForm):
    """Change one's password; the other sessions end."""

    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=PASSWORD_MAX_LENGTH)])
    new_password = _new_password_field(_l("New password"))
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class ChangeEmailForm(FlaskForm):
    """Move one's account to another address, confirmed through a link sent there."""

    email = EmailField(_l("New e-mail address"), validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)])
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=PASSWORD_MAX_LENGTH)])
    submit = SubmitField(_l("Change e-mail address"))


ROLE_CHOICES = [("stakeholder", _l("Stakeholder")), ("reviewer", _l("Reviewer")), ("chair", _l("Chair"))]


class InvitationForm(FlaskForm):
    """The chair invites a person by e-mail (ids prefixed: the form shares its page with the user search)."""

    name = StringField(_l("Full name"), id="invite-name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), id="invite-email",
                       validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)])
    role = SelectField(_l("Role"), id="invite-role", choices=as_choices(ROLE_CHOICES), default="reviewer",
                       validators=[DataRequired()])
    organization = StringField(_l("Organization"), id="invite-organization", validators=[Optional(), Length(max=200)])
    # Optional: without it the invitation goes out in the site's default language.
    locale = SelectField(_l("Language of the invitation"), id="invite-locale",
                         choices=lambda: [("", _l("The site's default language"))] + language_choices(),
                         validators=[Optional()],
                         description=_l("The e-mail is written in it, and the account starts in it."))
    submit = SubmitField(_l("Send invitation"))


class AcceptInvitationForm(FlaskForm):
    """The invited person chooses a password and completes the profile."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    organization = StringField(_l("Organization"), validators=[DataRequired(), Length(max=200)])
    stakeholder_type = SelectField(_l("Stakeholder type"), choices=_stakeholder_choices, validators=[DataRequired()])
    country = SelectField(_l("Country"), choices=_country_choices, validators=[DataRequired()], validate_choice=False)
    password = _new_password_field(_l("Password"))
    confirm_password = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    accept_privacy = RegistrationForm.accept_privacy
    notice_version = RegistrationForm.notice_version
    submit = SubmitField(_l("Create my account"))

    validate_country = RegistrationForm.validate_country
    accepted_notice_version = RegistrationForm.accepted_notice_version


class TwoFactorCodeForm(FlaskForm):
    """The second step of sign-in: a code from the authenticator app or a recovery code."""

    code = StringField(_l("Code"), description=_l("The 6-digit code from your app, or one of your recovery codes."),
                       validators=[DataRequired(), Length(max=20)])
    submit = SubmitField(_l("Verify"))


class EnableTwoFactorForm(FlaskForm):
    """Switch two-factor sign-in on: the secret shown as a QR code and a first code from the app."""

    secret = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Z2-7]{16,64}$")])
    code = StringField(_l("Code from the app"), validators=[DataRequired(), Length(max=10)])
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class PasswordCheckForm(FlaskForm):
    """A sensitive change confirmed with the password (two-factor off, recovery codes)."""

    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=PASSWORD_MAX_LENGTH)])
    submit = SubmitField(_l("Confirm"))


class CloseAccountForm(FlaskForm):
    """Close one's own account for good."""

    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=PASSWORD_MAX_LENGTH)])
    confirm = BooleanField(_l("I understand that I can no longer sign in and that my name is removed from my submissions"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Close my account"))


class AccountPolicyForm(FlaskForm):
    """The chair's account and privacy settings."""

    privacy_notice = TextAreaField(
        _l("Privacy notice"),
        description=_l("Shown at registration, in Markdown. Each change is a new version that new accounts accept."),
        validators=[Optional(), Length(max=50_000)],
    )
    require_committee_two_factor = BooleanField(_l("Reviewers and chairs must sign in with two-factor authentication"))
    submit = SubmitField(_l("Save account settings"))


class ChangeRoleForm(FlaskForm):
    """The chair gives a user another role."""

    role = SelectField(
        _l("Role"),
        choices=as_choices(ROLE_CHOICES),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Change role"))


class UserSearchForm(FlaskForm):
    """Search and filter the users page (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search name, e-mail or organization"), validators=[Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=as_choices(
            [("", _l("Any role")), ("stakeholder", _l("Stakeholder")), ("reviewer", _l("Reviewer")), ("chair", _l("Chair"))]
        ),
        default="",
    )


class ConfirmForm(FlaskForm):
    """An empty form for POST-only buttons, so that they carry a CSRF token."""

    submit = SubmitField(_l("Confirm"))
