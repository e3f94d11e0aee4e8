"""The saved version beside the submitted one: only fields that differ, read as people read them."""
import enum

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, SubmitField

from consult.edit_conflict import ChangedField, compare_versions, saved_version_id
from consult.forms import as_choices


class Track(enum.Enum):
    FORUM = "forum"
    HIGH_LEVEL = "high_level"


class SessionishForm(FlaskForm):
    title = StringField("Title")
    track = SelectField("Track", choices=as_choices([("forum", "Forum"), ("high_level", "High-level track")]))
    tags = SelectMultipleField("Action lines", choices=as_choices([("C1", "C1 Role of governments"),
                                                                   ("C4", "C4 Capacity building")]))
    is_remote = BooleanField("Remote")
    version_id = HiddenField()
    submit = SubmitField("Save")


class Saved:
    title, track, tags, is_remote, version_id = "Saved title", Track.HIGH_LEVEL, ["C1"], False, 3


def test_compare_versions_lists_only_changed_fields_with_labels(app):
    with app.test_request_context(method="POST", data={"title": "Saved title", "track": "forum",
                                                        "tags": ["C1", "C4"], "is_remote": "y", "version_id": "1"}):
        form = SessionishForm(meta={"csrf": False})

        changed = compare_versions(form, Saved())

    assert changed == [
        ChangedField("Track", "High-level track", "Forum"),
        ChangedField("Action lines", "C1 Role of governments", "C1 Role of governments / C4 Capacity building"),
        ChangedField("Remote", "no", "yes"),
    ]


def test_saved_version_id_reads_objects_and_mappings():
    assert (saved_version_id(Saved()), saved_version_id({"version_id": 7}), saved_version_id({})) == ("3", "7", None)
