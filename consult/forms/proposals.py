"""Forms of the proposals area: the proposal form with its speaker rows, withdrawal, import and list filters."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from consult import reference
from consult.forms import MultiCheckboxField, Visible, as_choices, label_filter

# The limits a stakeholder sees; the proposal service enforces the same ones (models.py holds the numbers too).
TITLE_MAX = 200
SUMMARY_MAX = 1500
DESCRIPTION_MAX_WORDS = 2000
DESCRIPTION_MAX_CHARS = 20000
KEYWORDS_MAX = 500
SPEAKER_ROWS = 2
MAX_SPEAKERS = 10

KIND_CHOICES = [("thematic", _l("Thematic input")), ("format", _l("Format proposal (including session requests)"))]
GENDER_CHOICES = [("", _l("Not given")), *reference.GENDER_LABELS.items()]


def _forum_part_choices():
    return as_choices((part.value, label) for part, label in reference.FORUM_PART_LABELS.items())


def _format_choices():
    return as_choices([("", _l("Choose a format"))] + reference.format_choices())


def _duration_choices():
    return as_choices([("", _l("Choose a duration"))] + [(str(m), _l("%(minutes)d minutes", minutes=m))
                                                         for m in reference.DURATIONS_MINUTES])


def _stakeholder_choices():
    return as_choices([("", _l("Choose a stakeholder type"))] + reference.stakeholder_type_choices())


def _country_choices():
    return as_choices([("", _l("Choose a country"))] + reference.country_choices())


def _language_choices():
    return as_choices([("", _l("Detect it from my text"))] + list(reference.LANGUAGE_LABELS.items()))


def count_words(text: str | None) -> int:
    """Words of a text, as the description limit counts them."""
    return len((text or "").split())


class SpeakerForm(Form):
    """One speaker row of a format proposal; a row without a name is ignored."""

    row_label = _l("Speaker %(number)d")  # the row's name in the error summary, as its legend on the page

    name = StringField(_l("Speaker's name"), filters=[label_filter], validators=[Optional(), Visible(), Length(max=120)])
    email = StringField(_l("Speaker's e-mail (optional)"), validators=[Optional(), Length(max=254)],
                        description=_l("Once the proposal is submitted, the speaker is asked by e-mail to confirm."))
    organization = StringField(_l("Organization"), filters=[label_filter], validators=[Optional(), Length(max=200)])
    stakeholder_type = SelectField(_l("Stakeholder type"), choices=_stakeholder_choices, validators=[Optional()])
    country = SelectField(_l("Country"), choices=_country_choices, validators=[Optional()])
    gender = SelectField(_l("Gender (optional)"), choices=as_choices(GENDER_CHOICES), validators=[Optional()])
    is_confirmed = BooleanField(_l("Confirmed"))
    is_remote = BooleanField(_l("Speaks remotely"))

    @property
    def is_blank(self) -> bool:
        return not (self.name.data or "").strip()

    def validate_email(self, field):
        value = (field.data or "").strip()
        if value and ("@" not in value or " " in value or value.startswith("@") or value.endswith("@")):
            raise ValidationError(_l("Enter an e-mail address such as name@example.org."))


class ProposalForm(FlaskForm):
    """A stakeholder drafts or edits a thematic or format proposal."""

    # The page makes a 32-character token; a longer or odd one was not made by it.
    creation_token = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{1,64}$", message=_l(
        "This form's hidden token was damaged and is now renewed: check your text and send it again."))])
    version_id = HiddenField()
    kind = RadioField(_l("Kind of proposal"), choices=as_choices(KIND_CHOICES), default="thematic",
                      validators=[DataRequired()])
    forum_part = SelectField(_l("Part of the Forum it is about"), choices=_forum_part_choices,
                             default="themes_and_structure", validators=[DataRequired()])
    title = StringField(_l("Title"), description=_l("At most %(max)d characters.", max=TITLE_MAX),
                        validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Summary"), description=_l("At most %(max)d characters. Needed to submit.", max=SUMMARY_MAX),
                            validators=[Optional(), Length(max=SUMMARY_MAX)])
    description = TextAreaField(
        _l("Description"),
        description=_l("At most about %(words)d words. Markdown is allowed: *emphasis*, lists, links.",
                       words=DESCRIPTION_MAX_WORDS),
        validators=[Optional(), Length(max=DESCRIPTION_MAX_CHARS)],
    )
    keywords = StringField(_l("Keywords"), description=_l("Separated by commas."),
                           validators=[Optional(), Length(max=KEYWORDS_MAX)])
    language = SelectField(_l("Language of the proposal"), choices=_language_choices, validators=[Optional()],
                           description=_l("Filled in from your title and description; change it if it is wrong. "
                                          "The committee compares your proposal with those in the same language."))
    action_lines = MultiCheckboxField(_l("WSIS action lines"), choices=as_choices(reference.action_line_choices()),
                                      description=_l("Choose every action line it concerns. At least one is needed to submit."))
    sdgs = MultiCheckboxField(_l("Sustainable Development Goals"), choices=as_choices(reference.sdg_choices()),
                              coerce=int)
    format_code = SelectField(_l("Proposed format"), choices=_format_choices, validators=[Optional()],
                              description=_l("Needed to submit a format proposal."))
    format_other = StringField(_l("Other format"), description=_l("When the format is “Other”: needed to submit."),
                               validators=[Optional(), Length(max=200)])
    is_binding_request = BooleanField(_l("This is a binding request for a session"))
    duration_minutes = SelectField(_l("Duration"), choices=_duration_choices, validators=[Optional()],
                                   description=_l("Needed to submit a format proposal."))
    expected_audience = IntegerField(_l("Expected audience (people)"),
                                     validators=[Optional(), NumberRange(min=0, max=100000)])
    has_remote_participation = BooleanField(_l("Remote participation is offered"))
    speakers = FieldList(FormField(SpeakerForm), _l("Speakers"), min_entries=SPEAKER_ROWS, max_entries=MAX_SPEAKERS)
    add_speaker = SubmitField(_l("Add another speaker"))
    save = SubmitField(_l("Save draft"))
    preview = SubmitField(_l("Save and preview"))

    def validate_description(self, field):
        if count_words(field.data) > DESCRIPTION_MAX_WORDS:
            raise ValidationError(_l("The description has %(count)d words; at most %(max)d are allowed.",
                                     count=count_words(field.data), max=DESCRIPTION_MAX_WORDS))

    def validate_speakers(self, field):
        for row in field:
            if not row.form.is_blank and row.form.country.data and not reference.is_country_code(row.form.country.data):
                raise ValidationError(_l("Choose each speaker's country from the list."))

    def filled_speakers(self) -> list[dict]:
        """The speaker rows that have a name, as plain dicts."""
        return [
            {"name": row.form.name.data.strip(), "email": (row.form.email.data or "").strip(),
             "organization": (row.form.organization.data or "").strip(),
             "stakeholder_type": row.form.stakeholder_type.data or None, "country": row.form.country.data or None,
             "gender": row.form.gender.data or "", "is_confirmed": bool(row.form.is_confirmed.data),
             "is_remote": bool(row.form.is_remote.data)}
            for row in self.speakers if not row.form.is_blank
        ]


class SpeakerAnswerForm(FlaskForm):
    """A speaker confirms or declines their part, from the link they were e-mailed."""

    confirm = SubmitField(_l("Yes, I will speak"))
    decline = SubmitField(_l("No, I decline"))


class WithdrawForm(FlaskForm):
    """A stakeholder withdraws a proposal, optionally saying why."""

    reason = TextAreaField(_l("Reason (optional)"), description=_l("The committee sees it."),
                           validators=[Optional(), Length(max=2000)])
    # Shown (and required by the service) when the proposal is already part of a cluster or a session.
    accept_consequences = BooleanField(_l("I understand what withdrawing does to the cluster and session above"))
    submit = SubmitField(_l("Withdraw the proposal"))


class ImportForm(FlaskForm):
    """The chair uploads a CSV or XLSX file of submissions received elsewhere."""

    file = FileField(
        _l("File (CSV or XLSX)"), validators=[FileRequired(), FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file."))]
    )
    source = StringField(_l("Source"), description=_l("Where these submissions come from, e.g. “Regional event, Nairobi”. "
                                                      "Used for rows whose own source column is empty."),
                         validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    """Confirm the import of a checked file."""

    token = HiddenField(validators=[DataRequired(), Length(max=300)])
    source = HiddenField(validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Import these proposals"))


def _filter_choices(pairs, any_label):
    return as_choices([("", any_label)] + list(pairs))


class ProposalFilterForm(FlaskForm):
    """Search and filters of the public and chair lists (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search title, summary or keywords"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=_filter_choices(KIND_CHOICES[:1] + [("format", _l("Format"))], _l("Any kind")),
                       validators=[Optional()])
    action_line = SelectField(_l("Action line"), validators=[Optional()],
                              choices=_filter_choices(reference.action_line_choices(), _l("Any action line")))
    sdg = SelectField(_l("SDG"), choices=_filter_choices(reference.sdg_choices(), _l("Any SDG")), validators=[Optional()])
    stakeholder_type = SelectField(_l("Stakeholder type"), validators=[Optional()],
                                   choices=_filter_choices(reference.stakeholder_type_choices(), _l("Any type")))
    region = SelectField(_l("Region"), choices=_filter_choices(reference.REGION_LABELS.items(), _l("Any region")),
                         validators=[Optional()])
    # The view adds each language's count to its label.
    language = SelectField(_l("Language"), validators=[Optional()],
                           choices=_filter_choices(reference.LANGUAGE_LABELS.items(), _l("Any language")))


STATUS_FILTER_CHOICES = [("", _l("Submitted or withdrawn")), ("submitted", _l("Submitted")), ("withdrawn", _l("Withdrawn"))]
DECISION_FILTER_CHOICES = [("", _l("Any decision")), ("pending", _l("Awaiting decision")), ("accepted", _l("Accepted")),
                           ("declined", _l("Declined")), ("merge", _l("To be merged"))]


class ChairProposalFilterForm(ProposalFilterForm):
    """The chair's filters: the public ones plus status, decision and source."""

    status = SelectField(_l("Status"), choices=as_choices(STATUS_FILTER_CHOICES), validators=[Optional()])
    decision = SelectField(_l("Decision"), choices=as_choices(DECISION_FILTER_CHOICES), validators=[Optional()])
    source = StringField(_l("Source contains"), validators=[Optional(), Length(max=200)])



class ClassifyForm(FlaskForm):
    """The committee's action lines and SDGs for a proposal imported without them."""

    action_lines = MultiCheckboxField(_l("WSIS action lines"), choices=as_choices(reference.action_line_choices()),
                                      validators=[DataRequired(_l("Choose at least one action line."))])
    sdgs = MultiCheckboxField(_l("Sustainable Development Goals"), choices=as_choices(reference.sdg_choices()),
                              coerce=int)
    submit = SubmitField(_l("Confirm"))


class ContactAuthorsForm(FlaskForm):
    """A message to the authors of a similar proposal, sent through the platform."""

    message = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(min=20, max=2000)],
                            description=_l("Their address stays hidden from you; yours is in the message, so that "
                                           "they can answer."))
    submit = SubmitField(_l("Send"))


class LabelSuggestionForm(FlaskForm):
    """The text being drafted, sent by the form's script for live action line and SDG suggestions."""

    title = StringField(validators=[Optional(), Length(max=200)])
    summary = TextAreaField(validators=[Optional(), Length(max=1500)])
    description = TextAreaField(validators=[Optional(), Length(max=20000)])
    keywords = StringField(validators=[Optional(), Length(max=500)])
    language = StringField(validators=[Optional(), Length(max=8)])
