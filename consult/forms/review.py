"""Forms of the review area: criteria, reasons, settings, assignment, reviews, decisions, selection."""
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from consult import reference
from consult.forms import as_choices
from consult.forms.consultations import VISIBILITY_CHOICES

RECOMMENDATION_CHOICES = as_choices([
    ("accept", _l("Accept")),
    ("merge", _l("Merge with another proposal")),
    ("decline", _l("Decline")),
])
DECISION_CHOICES = as_choices([
    ("accepted", _l("Accept")),
    ("declined", _l("Decline")),
    ("merge", _l("Mark for merging")),
    ("pending", _l("Back to awaiting decision")),
])
KIND_CHOICES = as_choices([("", _l("Any kind")), ("thematic", _l("Thematic")), ("format", _l("Format"))])
SORT_CHOICES = as_choices([
    ("calibrated", _l("Calibrated score")),
    ("raw", _l("Raw mean")),
    ("disagreement", _l("Disagreement")),
    ("reviews", _l("Reviews missing")),
    ("reference", _l("Reference")),
])


class GuideField(TextAreaField):
    """What each score means, typed one line per score ("5: Excellent: ..."); its data is {"5": "Excellent: ..."}."""

    def _value(self):
        if isinstance(self.data, dict):
            return "\n".join(f"{value}: {meaning}" for value, meaning in sorted(self.data.items(), key=lambda item: int(item[0])))
        return super()._value()

    def process_formdata(self, valuelist):
        self.data = {}
        if not valuelist:
            return
        problems = []
        for number, line in enumerate(valuelist[0].splitlines(), start=1):
            if not line.strip():
                continue
            value, separator, meaning = line.partition(":")
            if not separator or not value.strip().lstrip("-").isdigit() or not meaning.strip():
                problems.append(str(_l("Line %(number)d: write a score, a colon and what it means, e.g. “5: Excellent”.",
                                       number=number)))
                continue
            self.data[str(int(value))] = meaning.strip()
        if problems:
            raise ValueError(" ".join(problems))


class CriterionForm(FlaskForm):
    """The chair adds or edits a scoring criterion."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description for reviewers"), validators=[Optional(), Length(max=2000)])
    weight = FloatField(_l("Weight"), default=1.0, validators=[InputRequired(), NumberRange(min=0.1, max=100)])
    scale_min = IntegerField(_l("Lowest score"), default=1, validators=[InputRequired(), NumberRange(min=0, max=100)])
    scale_max = IntegerField(_l("Highest score"), default=5, validators=[InputRequired(), NumberRange(min=1, max=100)])
    position = IntegerField(_l("Position in the form"), default=1, validators=[InputRequired(), NumberRange(min=1, max=1000)])
    is_required = BooleanField(_l("Required to submit a review"), default=True)
    is_active = BooleanField(_l("Active (asked in the review form)"), default=True)
    guide = GuideField(_l("Scoring guide"), validators=[Optional(), Length(max=4000)],
                       description=_l("What each score means, one line per score, e.g. “5: Excellent: serves several "
                                      "action lines”. Reviewers see it beside the score."))
    submit = SubmitField(_l("Save criterion"))

    def validate_scale_max(self, field):
        if self.scale_min.data is not None and field.data is not None and field.data <= self.scale_min.data:
            raise ValidationError(_l("The highest score must be above the lowest."))

    def validate_guide(self, field):
        if self.scale_min.data is None or self.scale_max.data is None:
            return
        outside = [value for value in field.data or {} if not self.scale_min.data <= int(value) <= self.scale_max.data]
        if outside:
            raise ValidationError(ngettext("Score %(values)s is outside the scale %(low)d–%(high)d.",
                                          "Scores %(values)s are outside the scale %(low)d–%(high)d.", len(outside),
                                          values=", ".join(outside), low=self.scale_min.data, high=self.scale_max.data))


class DecisionReasonForm(FlaskForm):
    """The chair adds or edits a reason code for declining."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Short identifier, such as out_of_scope."))
    label = StringField(_l("Reason shown to the submitter"), validators=[DataRequired(), Length(max=200)])
    position = IntegerField(_l("Position"), default=1, validators=[InputRequired(), NumberRange(min=1, max=1000)])
    submit = SubmitField(_l("Save reason"))


class ReviewSettingsForm(FlaskForm):
    """The chair sets blind review, the visibility of others' reviews and k."""

    is_blind_review = BooleanField(_l("Blind review: hide submitters, speakers and organizations from reviewers and the public"))
    review_visibility = SelectField(_l("Reviewers see the other reviews"), choices=VISIBILITY_CHOICES, default="after_own")
    reviewers_per_proposal = IntegerField(_l("Reviewers per proposal"), default=3,
                                          validators=[InputRequired(), NumberRange(min=1, max=10)])
    is_feedback_released = BooleanField(_l("Show submitters the reviewers' comments meant for them"),
                                        description=_l("Each submitter then reads the “comment to the submitter” of every "
                                                       "submitted review of their proposal, without the reviewer's name."))
    version_id = HiddenField()
    submit = SubmitField(_l("Save review settings"))


class AutoAssignForm(FlaskForm):
    """The chair runs the automatic assignment."""

    include_chairs = BooleanField(_l("Include chairs in the pool of reviewers"))
    submit = SubmitField(_l("Assign reviewers automatically"))


class DiscussionCommentForm(FlaskForm):
    """A committee member writes in a proposal's discussion."""

    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=5000)],
                         description=_l("The chair and the reviewers assigned to this proposal read it and are told by e-mail."))
    submit = SubmitField(_l("Post the comment"))


class ManualAssignForm(FlaskForm):
    """The chair assigns one reviewer to one proposal; choices are set by the view."""

    proposal_id = SelectField(_l("Proposal"), choices=[], coerce=int)
    reviewer_id = SelectField(_l("Reviewer"), choices=[], coerce=int)
    submit = SubmitField(_l("Assign"))


class ReasonTextForm(FlaskForm):
    """A reviewer declares a conflict or declines an assignment, with a reason."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Send"))


def make_review_form(criteria: list[dict], merge_choices: list[tuple[int, str]] | None = None, **kwargs) -> FlaskForm:
    """A review form with one score field per active criterion (criteria as plain dicts)."""

    class ReviewForm(FlaskForm):
        recommendation = RadioField(_l("Recommendation"), choices=RECOMMENDATION_CHOICES, validators=[Optional()])
        merge_with_id = SelectField(
            _l("Merge with"),
            choices=as_choices([("", _l("Choose a proposal"))] + list(merge_choices or [])),
            validators=[Optional()],
            description=_l("Only when recommending a merge."),
        )
        comment_to_committee = TextAreaField(_l("Comment to the committee"), validators=[Optional(), Length(max=10000)])
        comment_to_submitter = TextAreaField(_l("Comment to the submitter"), validators=[Optional(), Length(max=10000)],
                                             description=_l("Sent to the submitter with the decision."))
        version_id = HiddenField()
        save = SubmitField(_l("Save draft"))
        submit = SubmitField(_l("Submit review"))

    for criterion in criteria:
        if not criterion.get("is_active", True):
            continue
        guide = criterion.get("guide") or {}
        choices = as_choices([("", _l("Not scored"))] + [
            (value, f"{value} – {guide[str(value)]}" if str(value) in guide else str(value))
            for value in range(criterion["scale_min"], criterion["scale_max"] + 1)])
        label = f"{criterion['name']} ({criterion['scale_min']}–{criterion['scale_max']}, ×{criterion['weight']:g})"
        setattr(ReviewForm, f"score_{criterion['id']}",
                SelectField(label, choices=choices, description=criterion.get("description", ""),
                            coerce=lambda value: int(value) if value not in (None, "") else None, validators=[Optional()]))
    form = ReviewForm(**kwargs)
    form.score_field_names = [f"score_{c['id']}" for c in criteria if c.get("is_active", True)]
    # The guide shown beside each score field: (score, meaning) in the order of the scale.
    form.guides = {f"score_{c['id']}": sorted(((int(value), meaning) for value, meaning in (c.get("guide") or {}).items()))
                   for c in criteria}
    return form


class RankingFilterForm(FlaskForm):
    """Filters and sort order of the ranking (GET)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, default="")
    action_line = SelectField(
        _l("Action line"), choices=as_choices([("", _l("Any action line"))] + reference.action_line_choices()), default=""
    )
    stakeholder_type = SelectField(
        _l("Stakeholder type"), choices=as_choices([("", _l("Any type"))] + reference.stakeholder_type_choices()), default=""
    )
    region = SelectField(
        _l("Region"), choices=as_choices([("", _l("Any region"))] + list(reference.REGION_LABELS.items())), default=""
    )
    sort = SelectField(_l("Sort by"), choices=SORT_CHOICES, default="calibrated")


class DecisionForm(FlaskForm):
    """The chair decides on one proposal; reason choices are set by the view."""

    decision = SelectField(_l("Decision"), choices=DECISION_CHOICES)
    reason_id = SelectField(_l("Reason (when declining)"), choices=[], validators=[Optional()])
    note = TextAreaField(_l("Note for the submitter"), validators=[Optional(), Length(max=5000)])
    version_id = HiddenField()
    submit = SubmitField(_l("Save decision"))


class BulkDecisionForm(DecisionForm):
    """The chair applies one decision to the proposals ticked in the ranking."""

    confirm_unfinished = BooleanField(_l("Decide now, although some assigned reviews are not submitted yet"))
    submit = SubmitField(_l("Review the changes"))


class ReleaseDecisionsForm(FlaskForm):
    """The chair announces the held decisions in one batch; fingerprint names the set previewed."""

    fingerprint = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Send these e-mails and announce the decisions"))


class SelectionForm(FlaskForm):
    """Bounds of the selection assistant (GET)."""

    class Meta:
        csrf = False

    slots = IntegerField(_l("Number of slots"), default=20, validators=[InputRequired(), NumberRange(min=1, max=5000)])
    max_type_share = DecimalField(_l("Largest share of one stakeholder type (%)"), default=40, places=0,
                                  validators=[InputRequired(), NumberRange(min=1, max=100)])
    every_region = BooleanField(_l("Every region present"), default=True)
    max_per_organization = IntegerField(_l("At most this many per organization"), default=3,
                                        validators=[Optional(), NumberRange(min=1, max=1000)])
    thematic_min = IntegerField(_l("Thematic: at least"), validators=[Optional(), NumberRange(min=0, max=5000)])
    thematic_max = IntegerField(_l("Thematic: at most"), validators=[Optional(), NumberRange(min=0, max=5000)])
    format_min = IntegerField(_l("Format: at least"), validators=[Optional(), NumberRange(min=0, max=5000)])
    format_max = IntegerField(_l("Format: at most"), validators=[Optional(), NumberRange(min=0, max=5000)])
