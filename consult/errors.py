"""Domain errors raised by services and turned into clear 4xx answers by views and handlers."""


class DomainError(Exception):
    """A rule of the domain refused the action; message is for the user, field names the form field.

    `errors` ({field: message}) carries every problem found at once, so that the form shows each beside its field;
    message and field are then the first of them.
    """

    status_code = 400

    def __init__(self, message: str, field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = dict(errors) if errors else ({field: message} if field else {})

    @classmethod
    def of(cls, errors: dict[str, str]) -> "DomainError":
        """One error holding every field's problem (errors must not be empty)."""
        field, message = next(iter(errors.items()))
        return cls(message, field=field, errors=errors)


class PhaseClosedError(DomainError):
    """The action is not allowed in the consultation's current phase."""

    status_code = 403


class EditConflictError(DomainError):
    """Somebody else saved the same object first; nothing was overwritten."""

    status_code = 409


class NotAllowedError(DomainError):
    """The user may not do this to this object."""

    status_code = 403
