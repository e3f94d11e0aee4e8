"""Forms of the consultations area."""
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from consult.forms import as_choices

VISIBILITY_CHOICES = as_choices([
    ("never", _l("Never")),
    ("after_own", _l("After submitting their own review")),
    ("always", _l("Always")),
])


def _timezone_choices():
    return as_choices((name, name) for name in sorted(available_timezones()) if "/" in name or name == "UTC")


class ConsultationForm(FlaskForm):
    """The chair sets up a consultation cycle."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    theme = StringField(_l("Theme"), validators=[Optional(), Length(max=300)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    forum_start = DateField(_l("Forum starts"), validators=[InputRequired()])
    forum_end = DateField(_l("Forum ends"), validators=[InputRequired()])
    timezone = SelectField(_l("Time zone of the Forum"), choices=_timezone_choices, default="Europe/Zurich")
    reviewers_per_proposal = IntegerField(_l("Reviewers per proposal"), default=3,
                                          validators=[InputRequired(), NumberRange(min=1, max=10)])
    is_blind_review = BooleanField(_l("Blind review: hide submitters, speakers and organizations from reviewers and the public"))
    review_visibility = SelectField(_l("Reviewers see the other reviews"), choices=VISIBILITY_CHOICES, default="after_own")
    submissions_published = BooleanField(_l("Publish submitted proposals for everyone to read"))
    version_id = HiddenField()
    submit = SubmitField(_l("Save consultation"))

    def validate_forum_end(self, field):
        if self.forum_start.data and field.data and field.data < self.forum_start.data:
            raise ValidationError(_l("The Forum cannot end before it starts."))


class PhaseForm(FlaskForm):
    """The chair edits one phase; times are UTC."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    opens_at = DateTimeLocalField(_l("Opens (UTC)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    closes_at = DateTimeLocalField(_l("Closes (UTC)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    # Shown only with the warning that asks for it (a close time in the past, or brought forward while open).
    confirm_early_close = BooleanField(_l("Save this earlier close time anyway"))
    shift_following = BooleanField(_l("Shift the following phases by as much as the close time moves"))
    allow_overlap = BooleanField(_l("Save even if this phase overlaps the one before or after it"))
    version_id = HiddenField()
    submit = SubmitField(_l("Save phase"))

    def validate_closes_at(self, field):
        # Skipped when opens_at was refused: its data is then whatever the edited object held (an aware time).
        if self.opens_at.data and field.data and not self.opens_at.errors and field.data <= self.opens_at.data:
            raise ValidationError(_l("A phase must close after it opens."))


class ExtendDeadlineForm(FlaskForm):
    """The chair moves a phase's close time later."""

    closes_at = DateTimeLocalField(_l("New close time (UTC)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    shift_following = BooleanField(_l("Shift the following phases by the same amount"))
    allow_overlap = BooleanField(_l("Extend even if this phase then overlaps the next one"))
    version_id = HiddenField()
    submit = SubmitField(_l("Extend deadline"))
