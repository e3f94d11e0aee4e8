"""Forms of the cluster workspace and of the merge requests; choices from the database are set by the views."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from consult.forms import MultiCheckboxField, as_choices

SCOPE_CHOICES = as_choices([
    ("accepted", _l("Accepted proposals (and those to be merged)")),
    ("submitted", _l("All submitted proposals")),
])
MEMBER_OPERATION_CHOICES = as_choices([
    ("move", _l("Move to the cluster chosen below")),
    ("split", _l("Split off into a new cluster")),
    ("remove", _l("Take out of the cluster")),
])
CONSENT_CHOICES = as_choices([("accept", _l("I agree to the merge")), ("decline", _l("I decline the merge"))])


def optional_int(value):
    """Coerce a choice to int, the empty choice to None."""
    return None if value in ("", None) else int(value)


class SuggestClustersForm(FlaskForm):
    """Ask for suggested clusters of the proposals not yet clustered."""

    scope = SelectField(_l("Cluster"), choices=SCOPE_CHOICES, default="accepted")
    k = IntegerField(_l("Number of clusters"), validators=[Optional(), NumberRange(min=2, max=1000)],
                     description=_l("Leave empty: proposals then stay together while they are related, "
                                    "and a proposal like no other is offered to the nearest cluster."))
    submit = SubmitField(_l("Suggest clusters"))


class JoinSuggestionForm(FlaskForm):
    """Add a proposal that is like no group to the group it is nearest to (a POST-only button)."""

    submit = SubmitField(_l("Add to that cluster"))


class AcceptSuggestionForm(FlaskForm):
    """Make a cluster of a suggestion, of all its proposals or of those ticked."""

    title = StringField(_l("Cluster title"), validators=[DataRequired(), Length(max=200)])
    proposal_ids = MultiCheckboxField(_l("Proposals to take"), coerce=int,
                                      validators=[DataRequired(_l("Tick at least one proposal."))])
    submit = SubmitField(_l("Accept as a cluster"))


class ClusterForm(FlaskForm):
    """Create, rename or describe a cluster."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    version_id = HiddenField()
    submit = SubmitField(_l("Save cluster"))


class ClusterMembersForm(FlaskForm):
    """Move, split off or take out the ticked proposals of a cluster."""

    proposal_ids = MultiCheckboxField(_l("Proposals"), coerce=int,
                                      validators=[DataRequired(_l("Tick at least one proposal."))])
    operation = RadioField(_l("What to do with them"), choices=MEMBER_OPERATION_CHOICES, default="move",
                           validators=[InputRequired()])
    target = SelectField(_l("Cluster to move them to"), coerce=optional_int, validate_choice=False, validators=[Optional()])
    new_title = StringField(_l("Title of the new cluster"), validators=[Optional(), Length(max=200)])
    version_id = HiddenField()
    submit = SubmitField(_l("Apply to the ticked proposals"))

    def validate(self, extra_validators=None) -> bool:
        """Moving needs a target cluster, splitting a new title."""
        valid = super().validate(extra_validators)
        if self.operation.data == "move" and not self.target.data:
            self.target.errors = list(self.target.errors) + [_l("Choose the cluster to move them to.")]
            valid = False
        if self.operation.data == "split" and not (self.new_title.data or "").strip():
            self.new_title.errors = list(self.new_title.errors) + [_l("Give the new cluster a title.")]
            valid = False
        return valid


class MergeClustersForm(FlaskForm):
    """Bring another cluster's proposals into this one."""

    other = SelectField(_l("Cluster to merge into this one"), coerce=optional_int, validate_choice=False,
                        validators=[InputRequired()])
    version_id = HiddenField()
    submit = SubmitField(_l("Merge clusters"))


class DuplicateForm(FlaskForm):
    """Mark a member a duplicate of another member (or not a duplicate)."""

    proposal_id = SelectField(_l("Proposal"), coerce=optional_int, validate_choice=False, validators=[InputRequired()])
    duplicate_of_id = SelectField(_l("Duplicate of"), coerce=optional_int, validate_choice=False, validators=[Optional()])
    version_id = HiddenField()
    submit = SubmitField(_l("Save duplicate mark"))


class DeleteClusterForm(FlaskForm):
    """Remove a cluster; its proposals become unclustered."""

    version_id = HiddenField()
    submit = SubmitField(_l("Delete cluster"))


class ConsentAnswerForm(FlaskForm):
    """A submitter's answer to a merge request."""

    answer = RadioField(_l("Your answer"), choices=CONSENT_CHOICES, validators=[InputRequired()])
    comment = TextAreaField(_l("Comment for the committee"), validators=[Optional(), Length(max=2000)],
                            description=_l("Needed when you decline."))
    submit = SubmitField(_l("Send answer"))
