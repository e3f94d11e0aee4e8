"""Forms of the accounts area."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from consult import reference
from consult.forms import as_choices

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 200


def _country_choices():
    return as_choices([("", _l("Choose a country"))] + reference.country_choices())


def _stakeholder_choices():
    return as_choices([("", _l("Choose a stakeholder type"))] + reference.stakeholder_type_choices())


class RegistrationForm(FlaskForm):
    """A stakeholder creates an account."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
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
    organization = StringField(_l("Organization"), validators=[DataRequired(), Length(max=200)])
    stakeholder_type = SelectField(_l("Stakeholder type"), choices=_stakeholder_choices, validators=[DataRequired()])
    # validate_country gives a clearer message than WTForms' generic "Not a valid choice".
    country = SelectField(_l("Country"), choices=_country_choices, validators=[DataRequired()], validate_choice=False)
    submit = SubmitField(_l("Create account"))

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

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    organization = StringField(_l("Organization"), validators=[DataRequired(), Length(max=200)])
    stakeholder_type = SelectField(_l("Stakeholder type"), choices=_stakeholder_choices, validators=[DataRequired()])
    country = SelectField(_l("Country"), choices=_country_choices, validators=[DataRequired()], validate_choice=False)
    submit = SubmitField(_l("Save profile"))

    validate_country = RegistrationForm.validate_country


class ChangeRoleForm(FlaskForm):
    """The chair gives a user another role."""

    role = SelectField(
        _l("Role"),
        choices=as_choices([("stakeholder", _l("Stakeholder")), ("reviewer", _l("Reviewer")), ("chair", _l("Chair"))]),
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
