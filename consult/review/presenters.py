"""What a viewer may see of a proposal: the single place where blind review hides identities."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from consult.proposals.models import Proposal
from consult.proposals.permissions import can_see_identity

HIDDEN = _l("hidden (blind review)")


@dataclass(frozen=True)
class SpeakerView:
    """A speaker as the viewer may see them; name and organization are hidden in blind review, the gender never shown."""

    name: str
    organization: str
    stakeholder_type: object
    country: str | None


@dataclass(frozen=True)
class ProposalView:
    """A proposal as a given viewer may see it."""

    id: int
    reference: str
    title: str
    kind: object
    summary: str
    description: str
    keywords: str
    format_code: str | None
    duration_minutes: int | None
    action_line_codes: list[str]
    sdg_numbers: list[int]
    stakeholder_type: object
    region: str | None
    identity_visible: bool
    submitter_name: str
    submitter_email: str
    organization: str
    country: str | None
    speakers: list[SpeakerView]
    is_to_classify: bool = False
    language: str = "en"


def reviewer_view_of(proposal: Proposal, viewer, consultation) -> ProposalView:
    """The proposal with submitter name, e-mail, organization, country and speakers' names and organizations hidden when blind."""
    visible = can_see_identity(viewer, proposal)
    hidden = str(HIDDEN)
    return ProposalView(
        id=proposal.id, reference=proposal.reference, title=proposal.title, kind=proposal.kind,
        summary=proposal.summary, description=proposal.description, keywords=proposal.keywords,
        format_code=proposal.format_code, duration_minutes=proposal.duration_minutes,
        action_line_codes=proposal.action_line_codes, sdg_numbers=proposal.sdg_numbers,
        stakeholder_type=proposal.stakeholder_type, region=proposal.region,
        identity_visible=visible,
        submitter_name=proposal.submitter_name if visible else hidden,
        submitter_email=proposal.submitter_email if visible else hidden,
        organization=proposal.organization if visible else hidden,
        country=proposal.country if visible else None,
        speakers=[SpeakerView(name=speaker.name if visible else hidden, organization=speaker.organization if visible else hidden,
                              stakeholder_type=speaker.stakeholder_type, country=speaker.country)
                  for speaker in proposal.speakers],
        is_to_classify=proposal.is_to_classify, language=proposal.language,
    )
