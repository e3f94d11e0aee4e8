"""Domain errors raised by services and answered, the same way in every area, by the error boundary (consult/boundary.py)."""


class DomainError(Exception):
    """A rule of the domain refused the action; message is for the user, field names the form field."""

    # Unprocessable: the request was understood, the domain refuses its content. Subclasses say more.
    status_code = 422

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """What was typed breaks a rule: answered 422 with the form shown again and the message next to the field."""


class FormInvalid(ValidationError):
    """The submitted form failed its own (WTForms) checks; its fields already carry the messages."""


class PhaseClosedError(DomainError):
    """The action is not allowed in the consultation's current phase."""

    status_code = 403


class EditConflictError(DomainError):
    """Somebody else saved the same object first; nothing was overwritten."""

    status_code = 409


class NotAllowedError(DomainError):
    """The user may not do this to this object."""

    status_code = 403
