"""Writes of the proposals area: drafts, submission, edits with revisions, withdrawal."""
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from consult import reference
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.services import check_version
from consult.db import utcnow
from consult.errors import DomainError, NotAllowedError
from consult.extensions import db
from consult.outbox.services import queue_email
from consult.proposals.models import (
    DESCRIPTION_MAX_CHARS,
    DESCRIPTION_MAX_WORDS,
    SUMMARY_MAX,
    TITLE_MAX,
    Proposal,
    ProposalActionLine,
    ProposalKind,
    ProposalRevision,
    ProposalSdg,
    ProposalStatus,
    Speaker,
)
from consult.reference import ForumPart, StakeholderType

MAX_SPEAKERS = 10
SPEAKER_FIELDS = ("name", "organization", "stakeholder_type", "country", "gender", "is_confirmed", "is_remote")


@dataclass
class ProposalContent:
    """What a stakeholder writes in a proposal, independent of the form or file it came from."""

    kind: str
    title: str
    summary: str = ""
    description: str = ""
    keywords: str = ""
    forum_part: str = ForumPart.THEMES_AND_STRUCTURE.value
    action_lines: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    format_code: str | None = None
    format_other: str = ""
    is_binding_request: bool = False
    duration_minutes: int | None = None
    expected_audience: int | None = None
    has_remote_participation: bool = False
    speakers: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, proposal: Proposal) -> "ProposalContent":
        """The content of a stored proposal."""
        return cls(
            kind=proposal.kind.value, title=proposal.title, summary=proposal.summary, description=proposal.description,
            keywords=proposal.keywords, forum_part=proposal.forum_part.value, action_lines=proposal.action_line_codes,
            sdgs=proposal.sdg_numbers, format_code=proposal.format_code, format_other=proposal.format_other,
            is_binding_request=proposal.is_binding_request, duration_minutes=proposal.duration_minutes,
            expected_audience=proposal.expected_audience, has_remote_participation=proposal.has_remote_participation,
            speakers=[{name: (getattr(s, name).value if isinstance(getattr(s, name), StakeholderType) else getattr(s, name))
                       for name in SPEAKER_FIELDS} for s in proposal.speakers],
        )


def validate_content(content: ProposalContent) -> None:
    """Raise DomainError on the first field that breaks a limit or names unknown reference data."""
    if content.kind not in {kind.value for kind in ProposalKind}:
        raise DomainError(_("Choose thematic or format."), field="kind")
    if content.forum_part not in {part.value for part in ForumPart}:
        raise DomainError(_("Choose a part of the Forum from the list."), field="forum_part")
    if not content.title.strip():
        raise DomainError(_("A title is required."), field="title")
    if len(content.title) > TITLE_MAX:
        raise DomainError(_("The title has %(count)d characters; at most %(max)d are allowed.",
                            count=len(content.title), max=TITLE_MAX), field="title")
    if len(content.summary) > SUMMARY_MAX:
        raise DomainError(_("The summary has %(count)d characters; at most %(max)d are allowed.",
                            count=len(content.summary), max=SUMMARY_MAX), field="summary")
    words = len(content.description.split())
    if words > DESCRIPTION_MAX_WORDS or len(content.description) > DESCRIPTION_MAX_CHARS:
        raise DomainError(_("The description has %(count)d words; at most %(max)d are allowed.",
                            count=words, max=DESCRIPTION_MAX_WORDS), field="description")
    unknown = [code for code in content.action_lines if code not in reference.ACTION_LINES_BY_CODE]
    if unknown:
        raise DomainError(_("Unknown action line: %(codes)s.", codes=", ".join(unknown)), field="action_lines")
    if any(sdg not in reference.SDGS for sdg in content.sdgs):
        raise DomainError(_("SDGs are numbered 1 to 17."), field="sdgs")
    if content.format_code and content.format_code != reference.OTHER_FORMAT \
            and content.format_code not in reference.SESSION_FORMATS_BY_CODE:
        raise DomainError(_("Choose a format from the list."), field="format_code")
    if content.duration_minutes is not None and content.duration_minutes not in reference.DURATIONS_MINUTES:
        raise DomainError(_("Choose a duration from the list."), field="duration_minutes")
    if len(content.speakers) > MAX_SPEAKERS:
        raise DomainError(_("At most %(max)d speakers.", max=MAX_SPEAKERS), field="speakers")


def validate_for_submission(content: ProposalContent, *, require_action_lines: bool = True) -> None:
    """What a proposal needs before it is submitted, beyond what a draft needs (imports may lack action lines)."""
    validate_content(content)
    if not content.summary.strip():
        raise DomainError(_("Write a summary before submitting."), field="summary")
    if require_action_lines and not content.action_lines:
        raise DomainError(_("Choose at least one action line before submitting."), field="action_lines")
    if content.kind == ProposalKind.FORMAT.value:
        if not content.format_code:
            raise DomainError(_("Choose the format you propose before submitting."), field="format_code")
        if content.format_code == reference.OTHER_FORMAT and not content.format_other.strip():
            raise DomainError(_("Describe the format you propose."), field="format_other")
        if content.duration_minutes is None:
            raise DomainError(_("Choose a duration before submitting."), field="duration_minutes")


def _apply_content(proposal: Proposal, content: ProposalContent) -> None:
    proposal.kind = ProposalKind(content.kind)
    proposal.forum_part = ForumPart(content.forum_part)
    proposal.title = content.title.strip()
    proposal.summary = content.summary.strip()
    proposal.description = content.description.strip()
    proposal.keywords = content.keywords.strip()
    codes = list(dict.fromkeys(content.action_lines))
    # Keep the rows that stay so that the ORM does not delete and re-insert the same primary keys.
    proposal.action_lines = [tag for tag in proposal.action_lines if tag.code in codes] + [
        ProposalActionLine(code=code) for code in codes if code not in proposal.action_line_codes]
    numbers = list(dict.fromkeys(content.sdgs))
    proposal.sdgs = [tag for tag in proposal.sdgs if tag.sdg in numbers] + [
        ProposalSdg(sdg=number) for number in numbers if number not in proposal.sdg_numbers]
    is_format = proposal.kind is ProposalKind.FORMAT
    proposal.format_code = content.format_code if is_format else None
    proposal.format_other = content.format_other.strip() if is_format and content.format_code == reference.OTHER_FORMAT else ""
    proposal.is_binding_request = bool(content.is_binding_request) and is_format
    proposal.duration_minutes = content.duration_minutes if is_format else None
    proposal.expected_audience = content.expected_audience if is_format else None
    proposal.has_remote_participation = bool(content.has_remote_participation) and is_format
    speakers = content.speakers if is_format else []
    existing = list(proposal.speakers)
    proposal.speakers = []
    for position, data in enumerate(speakers):
        speaker = existing[position] if position < len(existing) else Speaker()
        speaker.position = position
        speaker.name = data["name"]
        speaker.organization = data.get("organization") or ""
        speaker.stakeholder_type = StakeholderType(data["stakeholder_type"]) if data.get("stakeholder_type") else None
        speaker.country = data.get("country") or None
        speaker.gender = data.get("gender") or ""
        speaker.is_confirmed = bool(data.get("is_confirmed"))
        speaker.is_remote = bool(data.get("is_remote"))
        proposal.speakers.append(speaker)


def find_by_creation_token(token: str | None) -> Proposal | None:
    """The proposal a form with this idempotency token created already, if any."""
    if not token:
        return None
    return db.session.execute(sa.select(Proposal).where(Proposal.creation_token == token)).scalar_one_or_none()


def create_proposal(consultation: Consultation, *, submitter, content: ProposalContent,
                    creation_token: str | None = None) -> Proposal:
    """A new draft; a repeated POST of the same form (same token) returns the draft it made the first time."""
    existing = find_by_creation_token(creation_token)
    if existing is not None:
        if existing.submitter_id != submitter.id:
            raise NotAllowedError(_("This form was already used by another account. Reload the page."))
        return existing
    ensure_phase_open(consultation, PhaseKind.CALL_OPEN)
    validate_content(content)
    proposal = Proposal(consultation_id=consultation.id, submitter_id=submitter.id, status=ProposalStatus.DRAFT,
                        creation_token=creation_token or None, kind=ProposalKind(content.kind), title="")
    proposal.consultation = consultation
    _apply_content(proposal, content)
    _record_submitter(proposal, submitter)
    db.session.add(proposal)
    db.session.flush()
    record_audit("proposal.create", proposal, actor=submitter, summary=proposal.title)
    return proposal


def _ensure_owner(proposal: Proposal, actor) -> None:
    if actor is None or proposal.submitter_id != actor.id:
        raise NotAllowedError(_("Only the stakeholder who filed this proposal can change it."))


def update_proposal(proposal: Proposal, *, actor, content: ProposalContent, expected_version=None) -> Proposal:
    """Save a draft, or edit a submitted proposal before the deadline (the edit is kept as a revision)."""
    _ensure_owner(proposal, actor)
    if proposal.status is ProposalStatus.WITHDRAWN:
        raise DomainError(_("A withdrawn proposal cannot be changed."))
    ensure_phase_open(proposal.consultation, PhaseKind.CALL_OPEN)
    check_version(proposal, expected_version)
    if proposal.status is ProposalStatus.SUBMITTED:
        validate_for_submission(content)
    else:
        validate_content(content)
    _apply_content(proposal, content)
    db.session.flush()
    if proposal.status is ProposalStatus.SUBMITTED:
        _add_revision(proposal, actor)
        record_audit("proposal.edit", proposal, actor=actor, summary=proposal.title)
    else:
        record_audit("proposal.save_draft", proposal, actor=actor, summary=proposal.title)
    return proposal


def _record_submitter(proposal: Proposal, user) -> None:
    """Copy who the submitter is now onto the proposal, so that a later profile change does not rewrite it."""
    proposal.submitter_name = user.name
    proposal.submitter_email = user.email
    proposal.organization = user.organization
    proposal.stakeholder_type = user.stakeholder_type
    proposal.country = user.country
    proposal.region = user.region or reference.region_for_country(user.country)


def next_proposal_number(consultation_id: int) -> int:
    """The next public number of the consultation's proposals."""
    highest = db.session.execute(
        sa.select(sa.func.max(Proposal.number)).where(Proposal.consultation_id == consultation_id)
    ).scalar_one()
    return (highest or 0) + 1


def submit_proposal(proposal: Proposal, *, actor) -> Proposal:
    """Submit a draft: it gets its number and the submitter's details, a revision, and a confirmation e-mail."""
    _ensure_owner(proposal, actor)
    if proposal.status is not ProposalStatus.DRAFT:
        raise DomainError(_("This proposal was submitted already."))
    ensure_phase_open(proposal.consultation, PhaseKind.CALL_OPEN)
    validate_for_submission(ProposalContent.of(proposal))
    _record_submitter(proposal, actor)
    proposal.number = next_proposal_number(proposal.consultation_id)
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = utcnow()
    db.session.flush()
    _add_revision(proposal, actor)
    deadline = proposal.consultation.phase(PhaseKind.CALL_OPEN).closes_at
    link = url_for("proposals.show", proposal_id=proposal.id, _external=True) if has_request_context() else ""
    queue_email(
        actor.email,
        _("Proposal %(reference)s received: %(title)s", reference=proposal.reference, title=proposal.title),
        _("Dear %(name)s,\n\nThank you: your proposal “%(title)s” was received with the reference %(reference)s.\n\n"
          "You can edit or withdraw it until %(deadline)s UTC. After the deadline the review committee reviews "
          "every proposal and you will hear what became of it.\n\n%(link)s\n",
          name=actor.name, title=proposal.title, reference=proposal.reference,
          deadline=deadline.strftime("%Y-%m-%d %H:%M"), link=link),
        category="proposal.submitted", consultation_id=proposal.consultation_id,
    )
    record_audit("proposal.submit", proposal, actor=actor, summary=f"{proposal.reference} {proposal.title}")
    return proposal


def withdraw_proposal(proposal: Proposal, *, actor, reason: str = "") -> Proposal:
    """Withdraw a draft or a submitted proposal, keeping it on record with the reason given."""
    _ensure_owner(proposal, actor)
    if proposal.status is ProposalStatus.WITHDRAWN:
        raise DomainError(_("This proposal was withdrawn already."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.withdrawn_at = utcnow()
    proposal.withdraw_reason = (reason or "").strip()
    db.session.flush()
    record_audit("proposal.withdraw", proposal, actor=actor, summary=f"{proposal.reference} {proposal.title}",
                 details={"reason": proposal.withdraw_reason})
    return proposal


def revision_data(proposal: Proposal) -> dict:
    """The snapshot stored in a revision: the content plus the submitter's details as recorded."""
    data = asdict(ProposalContent.of(proposal))
    data.update(organization=proposal.organization, stakeholder_type=proposal.stakeholder_type.value
                if proposal.stakeholder_type else None, country=proposal.country)
    return data


def _add_revision(proposal: Proposal, actor) -> ProposalRevision:
    number = db.session.execute(
        sa.select(sa.func.count(ProposalRevision.id)).where(ProposalRevision.proposal_id == proposal.id)
    ).scalar_one() + 1
    revision = ProposalRevision(proposal_id=proposal.id, number=number, author_id=actor.id if actor else None,
                                created_at=utcnow(), data=revision_data(proposal))
    db.session.add(revision)
    db.session.flush()
    return revision
