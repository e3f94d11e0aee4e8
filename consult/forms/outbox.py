"""Forms of the outbox."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from consult.forms import as_choices


class OutboxFilterForm(FlaskForm):
    """Filter the outbox by delivery state (GET, no CSRF)."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), validators=[Optional()], choices=as_choices([
        ("", _l("Any state")), ("queued", _l("Queued")), ("sent", _l("Sent")), ("logged", _l("Logged")),
        ("failed", _l("Failed"))]))
