"""Small helpers shared by the thin views of every area."""
from flask import request
from flask_wtf import FlaskForm

from consult.errors import DomainError


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's domain error next to the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def page_number() -> int:
    """The ?page= argument as a positive integer (1 when missing or malformed)."""
    value = request.args.get("page", "1")
    # isascii: str.isdigit() is also true for "²" and other digits int() refuses.
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 100000 else 1
