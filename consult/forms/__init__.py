"""WTForms descriptions of every form, one module per area; no database access here."""
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


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
