"""An edit conflict shown field by field: the saved version beside the one the user submitted."""
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_wtf import FlaskForm

# Fields that carry no content of their own: the form's machinery, buttons and hidden bookkeeping.
_SKIPPED_TYPES = {"CSRFTokenField", "HiddenField", "SubmitField"}
_MISSING = object()


@dataclass(frozen=True)
class ChangedField:
    """One field whose saved value differs from the submitted one, both as people read them."""

    label: str
    saved: str
    submitted: str


SAVED_BY_YOU, SAVED_BY_OTHER = "you", "other"


def saved_meanwhile(saved_by: str | None) -> str:
    """The sentence saying who saved the object meanwhile: you elsewhere, someone else, or nobody known."""
    if saved_by == SAVED_BY_YOU:
        return _("You saved this in another tab or window in the meantime.")
    if saved_by == SAVED_BY_OTHER:
        return _("Someone else saved this in the meantime.")
    return _("This was saved again in the meantime.")


def conflict_message(saved_by: str | None, shown: str) -> str:
    """The message of a stale version for the page shown: who saved meanwhile, then what the page holds now.

    shown: "beside" (the form keeps what was typed, the saved version is shown beside it), "form" (the form keeps
    what was typed, the page around it is the saved version), "page" (a button: the page shows the saved version),
    "alone" (an error page: nothing to compare).
    """
    then = {
        "beside": _("The form holds what you typed and the table shows the saved version beside it: check the "
                    "differences, then send yours again to replace the saved version."),
        "form": _("Nothing of yours was saved: the page shows the saved version, and the form still holds what you "
                  "typed. Check it, then send it again."),
        "page": _("Nothing was changed: the page shows the saved version now. Do it again if it is still needed."),
    }.get(shown, _("Nothing was changed. Reload the page to see the saved version."))
    return f"{saved_meanwhile(saved_by)} {then}"


def saved_version_id(saved) -> str | None:
    """The version of the saved object (or of its form data), as the form's hidden field carries it."""
    value = saved.get("version_id") if isinstance(saved, Mapping) else getattr(saved, "version_id", None)
    return None if value is None else str(value)


def compare_versions(form: FlaskForm | None, saved) -> list[ChangedField]:
    """The fields of form whose submitted value differs from the saved object's (or mapping's) value."""
    if form is None:
        return []
    changed = []
    for field in form:
        if field.type in _SKIPPED_TYPES or field.name.endswith("version_id"):
            continue
        name = field.short_name
        value = saved.get(name, _MISSING) if isinstance(saved, Mapping) else getattr(saved, name, _MISSING)
        if value is _MISSING:
            continue
        if _normalised(value) != _normalised(field.data):
            changed.append(ChangedField(str(field.label.text), _readable(field, value), _readable(field, field.data)))
    return changed


def _normalised(value):
    if isinstance(value, enum.Enum):
        return _normalised(value.value)
    if isinstance(value, Mapping):
        return tuple(sorted((key, _normalised(item)) for key, item in value.items() if key != "csrf_token"
                            and _normalised(item) != ""))
    if isinstance(value, list | tuple | set):
        items = [_normalised(item) for item in value]
        return tuple(item for item in items if item not in ("", ()))
    if value is None or value is False:
        return ""
    return str(value).strip()


def _readable(field, value) -> str:
    labels = _choice_labels(field)
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, Mapping):
        return ", ".join(_readable(field, item) for key, item in value.items() if key != "csrf_token" and _normalised(item) != "")
    if isinstance(value, list | tuple | set):
        return " / ".join(part for part in (_readable(field, item) for item in value) if part)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(labels.get(str(value), value))


def _choice_labels(field) -> dict[str, str]:
    choices = getattr(field, "choices", None)
    if not choices or isinstance(choices, dict):
        return {}
    labels = {}
    for choice in choices:
        if hasattr(choice, "value"):  # WTForms' SelectChoice, as consult.forms.as_choices makes them
            labels[str(choice.value)] = str(choice.label)
        elif isinstance(choice, list | tuple) and len(choice) >= 2:
            labels[str(choice[0])] = str(choice[1])
    return labels
