"""What the chair's visibility settings show to whom, and the combinations that work against each other (pure)."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from consult.consultations.models import Consultation, PhaseKind, ReviewVisibility


@dataclass(frozen=True)
class SettingEffect:
    """One setting, its value now, and what it means for reviewers and for the public."""

    setting: str
    value: str
    reviewers: str
    public: str


@dataclass
class Visibility:
    """The effects of a consultation's settings and the warnings about their combination."""

    effects: list[SettingEffect] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def visibility_of(consultation: Consultation, phase: PhaseKind | None = None) -> Visibility:
    """What each visibility setting of consultation shows to reviewers and to the public, in phase (if known)."""
    blind, published = consultation.is_blind_review, consultation.submissions_published
    result = Visibility()
    result.effects.append(SettingEffect(
        str(_l("Blind review")), str(_l("on") if blind else _l("off")),
        str(_l("No submitter's name, e-mail, organization or country, no speaker's or session person's name or "
               "organization, on any page, export or e-mail.") if blind else
            _l("Who submitted each proposal they can open, and its speakers.")),
        str(_l("No submitter, speaker, organizer or organization: the proposal list, the published agenda and its "
               "JSON leave them out.") if blind else
            _l("Who submitted each published proposal, and the people of each published session.")),
    ))
    result.effects.append(SettingEffect(
        str(_l("Submissions published")), str(_l("yes") if published else _l("no")),
        str(_l("The proposals assigned to them, in the review area.")),
        str(_l("Every submitted proposal, searchable; stakeholders drafting see similar proposals of others.")
            if published else _l("No proposal; stakeholders drafting see no other stakeholder's proposal.")),
    ))
    visibility_labels = {
        ReviewVisibility.NEVER: _l("Only their own reviews."),
        ReviewVisibility.AFTER_OWN: _l("The other reviews of a proposal once they submitted their own."),
        ReviewVisibility.ALWAYS: _l("Every review of the proposals they may review, at once."),
    }
    result.effects.append(SettingEffect(
        str(_l("Reviewers see the other reviews")), str(visibility_labels[consultation.review_visibility]),
        str(visibility_labels[consultation.review_visibility]), str(_l("No review, ever.")),
    ))
    if blind and published:
        result.warnings.append(str(_l(
            "Blind review is on and the submissions are published: the public list hides who submitted, but anyone, "
            "reviewers included, can search the web for a proposal's text and find its author. Publish the "
            "submissions after the review, or turn blind review off.")))
    if blind and phase in (PhaseKind.PUBLIC_COMMENT, PhaseKind.FINAL):
        result.warnings.append(str(_l(
            "Blind review is still on in this phase: the published agenda shows no organizers or speakers, and its "
            "readers cannot tell who runs a session. Turn blind review off once the review is over.")))
    if blind and consultation.review_visibility is ReviewVisibility.ALWAYS:
        result.warnings.append(str(_l(
            "Blind review is on but reviewers read each other's reviews at once: a comment that names the submitter "
            "shows it to every reviewer. Let them see the others' reviews only after their own, or never.")))
    if not blind and not published:
        result.warnings.append(str(_l(
            "Blind review is off: reviewers see who submitted every proposal they review, even though the public "
            "does not.")))
    return result
