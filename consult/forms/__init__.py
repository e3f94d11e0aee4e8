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


def prefix_ids(form, prefix: str):
    """Give every field of form an HTML id starting with `prefix-`, names unchanged; returns the form.

    A page holding several forms (or one form per row) needs distinct ids, while each form still posts the
    field names its view reads, so WTForms' `prefix=` (which renames the fields) does not fit.
    """
    for field in form:
        if not field.id.startswith(f"{prefix}-"):
            field.id = f"{prefix}-{field.id}"
            field.label.field_id = field.id
    return form


def error_items(form) -> list[tuple[str, str, str]]:
    """(element id, field label, message) of every error of form, in the order of its fields, for the summary.

    Nested rows (FieldList of FormField, such as speakers) are walked; a choice list links to its first option.
    The form-level errors come first with an empty id.
    """
    items = [("", "", str(message)) for message in getattr(form, "form_errors", [])]

    def walk(fields, prefix_label=""):
        for field in fields:
            if field.type == "FieldList":
                for number, entry in enumerate(field.entries, start=1):
                    inner = getattr(entry, "form", None)
                    if inner is not None:
                        walk(inner, f"{field.label.text} {number}: ")
                    else:
                        walk([entry], f"{field.label.text} {number}: ")
                messages = [error for error in field.errors if isinstance(error, str)]
            else:
                messages = [error for error in field.errors if isinstance(error, str)]
            target = f"{field.id}-0" if field.type in ("RadioField", "MultiCheckboxField") else field.id
            items.extend((target, f"{prefix_label}{field.label.text}", str(message)) for message in messages)

    walk(form)
    return items
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
