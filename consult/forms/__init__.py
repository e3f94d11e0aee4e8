"""WTForms descriptions of every form, one module per area; no database access here."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from consult.unicode_input import clean_label, has_visible_character


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; every SelectField's choices go through this."""
    return [pair if isinstance(pair, SelectChoice) else SelectChoice(str(pair[0]), pair[1]) for pair in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def label_filter(value):
    """Filter of title and name fields: bidi embedding, override and isolate controls removed, trimmed."""
    return clean_label(value) if isinstance(value, str) else value


class Visible:
    """Refuse a title or name made only of invisible characters (zero-width spaces, joiners, marks)."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        if field.data and not has_visible_character(field.data):
            raise ValidationError(self.message or _l("Write at least one visible character."))
