"""Forms of the audit log."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional, ValidationError


class AuditFilterForm(FlaskForm):
    """Filter the audit log (GET, no CSRF): kept in the URL, so a filtered page can be bookmarked and exported."""

    class Meta:
        csrf = False

    person = StringField(_l("Person (name or e-mail)"), validators=[Optional(), Length(max=120)])
    date_from = DateField(_l("From (UTC day)"), validators=[Optional()])
    date_to = DateField(_l("To (UTC day, included)"), validators=[Optional()])
    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=64)])
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=64)])
    object_id = StringField(_l("Object number"), validators=[Optional(), Length(max=12)])

    def validate_date_to(self, field):
        if self.date_from.data and field.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end of the range cannot be before its start."))

    def validate_object_id(self, field):
        # Only plain ASCII digits: "²" passes isdigit(), and 10**20 overflows SQLite.
        if field.data and not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError(_l("Enter a number."))
