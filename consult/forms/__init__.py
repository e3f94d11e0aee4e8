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


def own_errors(field) -> list:
    """The messages of field itself, lazy or not; a row's own errors (nested dicts and lists) are left to the row."""
    if isinstance(field.errors, dict):  # a FormField: its errors are its inner fields'
        return []
    return [error for error in field.errors if not isinstance(error, dict | list | tuple)]


def error_items(form) -> list[tuple[str, str, str]]:
    """(element id, field label, message) of every error of form, in the order of its fields, for the summary.

    Nested rows (FieldList of FormField, such as speakers) are walked, each named by its form's row_label
    ("Speaker %(number)d") when it has one; a choice list links to its first option,
    a list's own message (too many speakers) to its first row's first field. The form-level errors come first
    with an empty id.
    """
    items = [("", "", str(message)) for message in getattr(form, "form_errors", [])]

    def first_input(field) -> str:
        if field.type == "FieldList" and field.entries:
            return first_input(field.entries[0])
        if field.type == "FormField":
            return next((first_input(inner) for inner in field.form), field.id)
        return f"{field.id}-0" if field.type in ("RadioField", "MultiCheckboxField") else field.id

    def walk(fields, prefix_label=""):
        for field in fields:
            if field.type == "FieldList":
                for number, entry in enumerate(field.entries, start=1):
                    row_label = getattr(getattr(entry, "form", None), "row_label", None)
                    prefix = str(row_label) % {"number": number} if row_label else f"{field.label.text} {number}"
                    walk(entry.form if entry.type == "FormField" else [entry], f"{prefix}: ")
            elif field.type == "FormField":
                walk(field.form, f"{prefix_label}{field.label.text}: ")
            label = f"{prefix_label}{field.label.text}"
            items.extend((first_input(field), label, str(message)) for message in own_errors(field))

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
