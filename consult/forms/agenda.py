"""Forms of the agenda area: sessions, people, the week, scheduling, moves, publication and comments."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from consult import reference
from consult.forms import MultiCheckboxField, Visible, as_choices, label_filter

GRANULARITY_CHOICES = as_choices([(m, _l("%(minutes)d minutes", minutes=m)) for m in (5, 10, 15, 20, 30, 60)])
TRACK_CHOICES = as_choices([(track.value, label) for track, label in reference.TRACK_LABELS.items()])
ROLE_CHOICES = as_choices([("organizer", _l("Organizer")), ("moderator", _l("Moderator")), ("speaker", _l("Speaker"))])
VERSION_KIND_CHOICES = as_choices([("draft", _l("Draft for comment")), ("final", _l("Final agenda (freezes it)"))])
VIEW_CHOICES = as_choices([("day", _l("By day")), ("room", _l("By room")), ("action_line", _l("By action line"))])


def _format_choices():
    return as_choices(reference.format_choices())


def _action_line_choices():
    return as_choices(reference.action_line_choices())


def _sdg_choices():
    return as_choices(reference.sdg_choices())


class SessionForm(FlaskForm):
    """A session's text, format, track, length, audience and tags."""

    title = StringField(_l("Title"), filters=[label_filter], validators=[DataRequired(), Visible(), Length(max=200)])
    description = TextAreaField(_l("Summary"), description=_l(
        "The committee's summary of the session, shown on the agenda, in the JSON and the calendar; it starts from "
        "its proposals. Markdown is allowed."),
                                validators=[Optional(), Length(max=20000)])
    format_code = SelectField(_l("Format"), choices=_format_choices, default="thematic_workshop")
    track = SelectField(_l("Track"), choices=TRACK_CHOICES, default="forum")
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), default=60, validators=[InputRequired(), NumberRange(min=15, max=480)]
    )
    expected_audience = IntegerField(
        _l("Expected audience"), default=50, validators=[InputRequired(), NumberRange(min=1, max=100000)]
    )
    action_lines = MultiCheckboxField(_l("Action lines"), choices=_action_line_choices)
    sdgs = MultiCheckboxField(_l("SDGs"), choices=_sdg_choices, coerce=int)
    is_plenary = BooleanField(_l("Plenary: runs in a plenary slot with nothing in parallel"),
                              description=_l("The Opening segment is always a plenary that opens the first day."))
    version_id = HiddenField()
    submit = SubmitField(_l("Save session"))


class FromClusterForm(FlaskForm):
    """Turn a cluster into a session; the view sets the cluster choices."""

    cluster_id = SelectField(_l("Cluster"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Create session from cluster"))


class PersonForm(FlaskForm):
    """Add an organizer, moderator or speaker to a session."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="speaker")
    name = StringField(_l("Name"), filters=[label_filter], validators=[DataRequired(), Visible(), Length(max=120)])
    email = StringField(_l("E-mail (optional, tells people with the same name apart)"), validators=[Optional(), Length(max=254)])
    organization = StringField(_l("Organization"), filters=[label_filter], validators=[Optional(), Length(max=200)])
    stakeholder_type = SelectField(_l("Stakeholder type"), validators=[Optional()],
                                   choices=lambda: as_choices([("", _l("Not given"))] + reference.stakeholder_type_choices()))
    country = SelectField(_l("Country"), validators=[Optional()],
                          choices=lambda: as_choices([("", _l("Not given"))] + reference.country_choices()))
    gender = StringField(_l("Gender"), validators=[Optional(), Length(max=32)])
    is_remote = BooleanField(_l("Takes part remotely"))
    version_id = HiddenField()
    submit = SubmitField(_l("Add person"))


class VersionOnlyForm(FlaskForm):
    """A button acting on a session, with the session's version for the conflict check."""

    version_id = HiddenField()


class DayForm(FlaskForm):
    """A Forum day's local hours and start-time granularity."""

    starts_at = TimeField(_l("Starts"), validators=[InputRequired()])
    ends_at = TimeField(_l("Ends"), validators=[InputRequired()])
    granularity_minutes = SelectField(_l("Sessions start every"), choices=GRANULARITY_CHOICES, coerce=int, default=15)
    submit = SubmitField(_l("Save day"))

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("A day must end after it starts."))


class RoomForm(FlaskForm):
    """A room of the venue."""

    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Capacity (seats)"), validators=[InputRequired(), NumberRange(min=1, max=100000)])
    has_interpretation = BooleanField(_l("Interpretation available"))
    is_high_level_track = BooleanField(_l("The High-Level Track's room: its sessions are placed here only"))
    submit = SubmitField(_l("Save room"))


class PlenarySlotForm(FlaskForm):
    """A time of a day kept for plenary sessions; the view sets the day choices."""

    day_id = SelectField(_l("Day"), coerce=int, validators=[InputRequired()])
    starts_at = TimeField(_l("From (local time)"), validators=[InputRequired()])
    ends_at = TimeField(_l("To (local time)"), validators=[InputRequired()])
    title = StringField(_l("What happens then"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Mark as plenary"))

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("A slot must end after it starts."))


class ScheduleForm(FlaskForm):
    """Run the automatic scheduler."""

    keep = SelectField(_l("Keep sessions where they are"), default="current", choices=as_choices([
        ("current", _l("Keep the current placement: move only what must move")),
        ("published", _l("Keep the last published version: move only what must move")),
        ("none", _l("Start afresh: place every unpinned session anew")),
    ]))
    time_limit = DecimalField(_l("Time limit (seconds)"), default=20, places=0,
                              validators=[InputRequired(), NumberRange(min=1, max=120)])
    submit = SubmitField(_l("Schedule unpinned sessions"))


class MoveForm(FlaskForm):
    """Move a session by hand; the view sets the day and room choices."""

    day_id = SelectField(_l("Day"), coerce=int, validators=[InputRequired()])
    room_id = SelectField(_l("Room"), coerce=int, validators=[InputRequired()])
    start = TimeField(_l("Start (local time)"), validators=[InputRequired()])
    version_id = HiddenField()
    submit = SubmitField(_l("Move and pin"))


class PublishForm(FlaskForm):
    """Publish the agenda as a new version."""

    kind = SelectField(_l("Version"), choices=VERSION_KIND_CHOICES, default="draft")
    note = TextAreaField(_l("Note to readers"), validators=[Optional(), Length(max=5000)])
    # Shown only when sessions name submitters who declined the merge or have not answered (the publish page lists them).
    publish_anyway = BooleanField(_l("Publish anyway: the submitters listed above agreed in another way"))
    submit = SubmitField(_l("Publish"))


class CommentForm(FlaskForm):
    """A comment on a session of the draft agenda."""

    body = TextAreaField(_l("Your comment"), description=_l("Markdown is allowed. Comments are public."),
                         validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Send comment"))


class ReplyForm(FlaskForm):
    """The secretariat's public reply to a comment."""

    reply = TextAreaField(_l("Reply of the secretariat"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Publish reply"))


class HideCommentForm(FlaskForm):
    """The chair hides a comment with a reason."""

    reason = StringField(_l("Reason for hiding"),
                         validators=[DataRequired(message=_l("Give a reason for hiding the comment.")), Length(max=500)])
    submit = SubmitField(_l("Hide comment"))


class AgendaFilterForm(FlaskForm):
    """Filters of the public agenda; the view sets the day, room choices."""

    class Meta:
        csrf = False

    view = SelectField(_l("Show"), choices=VIEW_CHOICES, default="day")
    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
