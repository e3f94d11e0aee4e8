"""Readable differences between two revisions of a proposal, word by word."""
import difflib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "description": _l("Description"), "keywords": _l("Keywords"),
    "kind": _l("Kind"), "forum_part": _l("Part of the Forum"), "action_lines": _l("Action lines"), "sdgs": _l("SDGs"),
    "format_code": _l("Format"), "format_other": _l("Other format"), "is_binding_request": _l("Binding request"),
    "duration_minutes": _l("Duration"), "expected_audience": _l("Expected audience"),
    "has_remote_participation": _l("Remote participation"), "speakers": _l("Speakers"),
    "organization": _l("Organization"), "stakeholder_type": _l("Stakeholder type"), "country": _l("Country"),
    "language": _l("Language"),
}


@dataclass
class FieldChange:
    """One changed field: its label and the word segments, each ('equal'|'delete'|'insert', text)."""

    name: str
    label: str
    segments: list[tuple[str, str]]


def _as_text(value) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(", ".join(str(v) for v in (item.get("name"), item.get("organization"), item.get("country")) if v)
                             for item in value)
        return ", ".join(str(item) for item in value)
    if value is None:
        return ""
    return str(value)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Segments of words kept, deleted and inserted between two texts."""
    old, new = before.split(), after.split()
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", " ".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", " ".join(old[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", " ".join(new[j1:j2])))
    return segments


def diff_revisions(before: dict | None, after: dict) -> list[FieldChange]:
    """The fields that differ between two revision snapshots (everything, against nothing, for the first)."""
    before = before or {}
    changes = []
    for name, label in FIELD_LABELS.items():
        if before and name not in before:
            continue  # a snapshot older than the field (the language came later) did not record it
        old, new = _as_text(before.get(name)), _as_text(after.get(name))
        if old != new:
            changes.append(FieldChange(name=name, label=str(label), segments=word_diff(old, new)))
    return changes
