"""Small helpers shared by the thin views of every area."""
from collections.abc import Callable

from flask import flash, make_response, request
from flask_wtf import FlaskForm

from consult.errors import DomainError


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's domain error next to each field it names, or at the top of the form."""
    problems = getattr(error, "errors", None) or {None: error.message}
    for name, message in problems.items():
        field = getattr(form, name, None) if name else None
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)


def refuse(message: str, page: Callable, status: int = 422):
    """A refused POST: the page it was sent from (`page`, a GET view) shown again with the reason, and a 4xx status.

    A redirect would answer 3xx to a request that changed nothing; here the status says the request failed.
    """
    flash(message, "error")
    response = make_response(page())
    response.status_code = status
    return response


def page_number() -> int:
    """The ?page= argument as a positive integer (1 when missing or malformed)."""
    value = request.args.get("page", "1")
    # isascii: str.isdigit() is also true for "²" and other digits int() refuses.
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 100000 else 1
