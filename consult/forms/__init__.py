"""WTForms descriptions of every form, one module per area; no database access here."""
from wtforms.fields.choices import SelectChoice


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; every SelectField's choices go through this."""
    return [pair if isinstance(pair, SelectChoice) else SelectChoice(str(pair[0]), pair[1]) for pair in pairs]
