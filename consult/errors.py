"""Domain errors raised by services and answered, the same way in every area, by the error boundary (consult/boundary.py)."""


class DomainError(Exception):
    """A rule of the domain refused the action; message is for the user, field names the form field.

    `errors` ({field: message}) carries every problem found at once, so that the form shows each beside its field;
    message and field are then the first of them.
    """

    # Unprocessable: the request was understood, the domain refuses its content. Subclasses say more.
    status_code = 422

    def __init__(self, message: str = "", field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = dict(errors) if errors else ({field: message} if field else {})

    @classmethod
    def of(cls, errors: dict[str, str]) -> "DomainError":
        """One error holding every field's problem (errors must not be empty)."""
        field, message = next(iter(errors.items()))
        return cls(message, field=field, errors=errors)


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


class StaleVersionError(EditConflictError):
    """The object's version moved on since the page that sent this was loaded; nothing was written.

    saved_by says who saved it meanwhile, as far as the audit log tells: "you" (the same person, in another tab or
    window), "other" (someone else) or None (unknown). The boundary words the message for the page it shows
    (consult/edit_conflict.py `conflict_message`) unless is_worded: the service's message then fits already.
    """

    def __init__(self, message: str = "", *, saved_by: str | None = None, is_worded: bool = False):
        super().__init__(message)
        self.saved_by = saved_by
        self.is_worded = is_worded


class NotAllowedError(DomainError):
    """The user may not do this to this object."""

    status_code = 403
