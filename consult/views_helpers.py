"""Small helpers shared by the thin views of every area (the error boundary is consult/boundary.py)."""
from flask import request


def page_number() -> int:
    """The ?page= argument as a positive integer (1 when missing or malformed)."""
    value = request.args.get("page", "1")
    # isascii: str.isdigit() is also true for "²" and other digits int() refuses.
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 100000 else 1


def is_query_submitted(form_class) -> bool:
    """Whether the query string carries any field of this GET form (?lang=, ?page= and the like do not count)."""
    form = form_class(formdata=None)
    return any(field.name in request.args for field in form if field.type not in ("CSRFTokenField", "SubmitField"))
