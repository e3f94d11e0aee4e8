"""Writes of the proposals area: drafts, submission, edits with revisions, withdrawal."""
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from consult import reference
from consult.accounts.language import writing_to
from consult.accounts.models import Role, User
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.services import check_version
from consult.consultations.times import format_local
from consult.db import lock_for_update, utcnow
from consult.edit_conflict import saved_meanwhile
from consult.errors import DomainError, NotAllowedError, StaleVersionError
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
    SpeakerAnswer,
)
from consult.proposals.numbering import allocate_proposal_numbers
from consult.proposals.speakers import invite_speakers
from consult.proposals.withdrawal import withdrawal_consequences
from consult.reference import ForumPart, StakeholderType
from consult.textmodel.languages import DEFAULT_LANGUAGE, detect_language
from consult.unicode_input import clean_label, has_visible_character

MAX_SPEAKERS = 10
SPEAKER_FIELDS = ("name", "email", "organization", "stakeholder_type", "country", "gender", "is_confirmed", "is_remote")


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
    # "" lets the text decide (detect_language); the submitter confirms or changes it in the form.
    language: str = ""

    @classmethod
    def of(cls, proposal: Proposal) -> "ProposalContent":
        """The content of a stored proposal."""
        return cls(
            kind=proposal.kind.value, title=proposal.title, summary=proposal.summary, description=proposal.description,
            keywords=proposal.keywords, forum_part=proposal.forum_part.value, action_lines=proposal.action_line_codes,
            sdgs=proposal.sdg_numbers, format_code=proposal.format_code, format_other=proposal.format_other,
            is_binding_request=proposal.is_binding_request, duration_minutes=proposal.duration_minutes,
            expected_audience=proposal.expected_audience, has_remote_participation=proposal.has_remote_participation,
            language=proposal.language,
            speakers=[{name: (getattr(s, name).value if isinstance(getattr(s, name), StakeholderType) else getattr(s, name))
                       for name in SPEAKER_FIELDS} for s in proposal.speakers],
        )


def content_problems(content: ProposalContent) -> dict[str, str]:
    """Every field of content that breaks a limit or names unknown reference data: {field: message}."""
    problems = {}
    if content.kind not in {kind.value for kind in ProposalKind}:
        problems["kind"] = _("Choose thematic or format.")
    if content.forum_part not in {part.value for part in ForumPart}:
        problems["forum_part"] = _("Choose a part of the Forum from the list.")
    if not content.title.strip():
        problems["title"] = _("A title is required.")
    elif not has_visible_character(content.title):
        problems["title"] = _("The title has no visible characters (only spaces or invisible ones).")
    elif len(content.title) > TITLE_MAX:
        problems["title"] = _("The title has %(count)d characters; at most %(max)d are allowed.",
                              count=len(content.title), max=TITLE_MAX)
    if any(not has_visible_character(clean_label(speaker.get("name") or "")) for speaker in content.speakers):
        problems["speakers"] = _("Each speaker needs a name with visible characters.")
    if len(content.summary) > SUMMARY_MAX:
        problems["summary"] = _("The summary has %(count)d characters; at most %(max)d are allowed.",
                                count=len(content.summary), max=SUMMARY_MAX)
    words = len(content.description.split())
    if words > DESCRIPTION_MAX_WORDS or len(content.description) > DESCRIPTION_MAX_CHARS:
        problems["description"] = _("The description has %(count)d words; at most %(max)d are allowed.",
                                    count=words, max=DESCRIPTION_MAX_WORDS)
    unknown = [code for code in content.action_lines if code not in reference.ACTION_LINES_BY_CODE]
    if unknown:
        problems["action_lines"] = _("Unknown action line: %(codes)s.", codes=", ".join(unknown))
    if any(sdg not in reference.SDGS for sdg in content.sdgs):
        problems["sdgs"] = _("SDGs are numbered 1 to 17.")
    if content.format_code and content.format_code != reference.OTHER_FORMAT \
            and content.format_code not in reference.SESSION_FORMATS_BY_CODE:
        problems["format_code"] = _("Choose a format from the list.")
    if content.duration_minutes is not None and content.duration_minutes not in reference.DURATIONS_MINUTES:
        problems["duration_minutes"] = _("Choose a duration from the list.")
    if len(content.speakers) > MAX_SPEAKERS:
        problems["speakers"] = _("At most %(max)d speakers.", max=MAX_SPEAKERS)
    if content.language and content.language not in reference.UN_LANGUAGES:
        problems["language"] = _("Choose the language of the proposal from the list (one of the six UN languages).")
    return problems


def missing_for_submission(content: ProposalContent, *, require_action_lines: bool = True) -> dict[str, str]:
    """What a draft may lack but a submission needs: {field: message}; an imported row may come without action lines."""
    missing = {}
    if not content.summary.strip():
        missing["summary"] = _("Write a summary before submitting.")
    if require_action_lines and not content.action_lines:
        missing["action_lines"] = _("Choose at least one action line before submitting.")
    if content.kind == ProposalKind.FORMAT.value:
        if not content.format_code:
            missing["format_code"] = _("Choose the format you propose before submitting.")
        if content.format_code == reference.OTHER_FORMAT and not content.format_other.strip():
            missing["format_other"] = _("Describe the format you propose.")
        if content.duration_minutes is None:
            missing["duration_minutes"] = _("Choose a duration before submitting.")
    return missing


def submission_problems(content: ProposalContent, *, require_action_lines: bool = True) -> dict[str, str]:
    """Every problem that keeps content from being submitted."""
    return {**missing_for_submission(content, require_action_lines=require_action_lines), **content_problems(content)}


def validate_content(content: ProposalContent) -> None:
    """Raise one DomainError naming every field that breaks a limit or names unknown reference data."""
    problems = content_problems(content)
    if problems:
        raise DomainError.of(problems)


def validate_for_submission(content: ProposalContent, *, require_action_lines: bool = True) -> None:
    """Raise one DomainError naming everything that keeps content from being submitted (imports may lack action lines)."""
    problems = submission_problems(content, require_action_lines=require_action_lines)
    if problems:
        raise DomainError.of(problems)


def normalise_content(content: ProposalContent) -> ProposalContent:
    """The content as it is stored: text trimmed, tags once each, the format fields only on a format proposal."""
    is_format = content.kind == ProposalKind.FORMAT.value
    speakers = [{
        "name": clean_label(data["name"]), "email": (data.get("email") or "").strip().lower(),
        "organization": clean_label(data.get("organization") or ""),
        "stakeholder_type": data.get("stakeholder_type") or None, "country": data.get("country") or None,
        "gender": data.get("gender") or "", "is_confirmed": bool(data.get("is_confirmed")),
        "is_remote": bool(data.get("is_remote")),
    } for data in content.speakers] if is_format else []
    return ProposalContent(
        kind=content.kind, forum_part=content.forum_part, title=clean_label(content.title), summary=content.summary.strip(),
        description=content.description.strip(), keywords=content.keywords.strip(),
        action_lines=list(dict.fromkeys(content.action_lines)), sdgs=list(dict.fromkeys(content.sdgs)),
        format_code=content.format_code if is_format else None,
        format_other=content.format_other.strip() if is_format and content.format_code == reference.OTHER_FORMAT else "",
        is_binding_request=bool(content.is_binding_request) and is_format,
        duration_minutes=content.duration_minutes if is_format else None,
        expected_audience=content.expected_audience if is_format else None,
        has_remote_participation=bool(content.has_remote_participation) and is_format, speakers=speakers,
        language=content.language or detected_language(content) or DEFAULT_LANGUAGE,
    )


def detected_language(content: ProposalContent) -> str | None:
    """The UN language the title, summary and description read as; None when the text is too short to tell."""
    return detected_language_of_text(content.title, content.summary, content.description)


def detected_language_of_text(title: str | None, summary: str | None, description: str | None) -> str | None:
    """The UN language a title, summary and description read as; None when the text is too short to tell."""
    return detect_language("\n".join(part or "" for part in (title, summary, description)))


def _comparable(content: ProposalContent) -> dict:
    """content as a value that equals another's when saving either would store the same proposal."""
    data = asdict(content)
    data.update(action_lines=sorted(data["action_lines"]), sdgs=sorted(data["sdgs"]))
    return data


def _apply_content(proposal: Proposal, content: ProposalContent) -> None:
    content = normalise_content(content)
    proposal.kind = ProposalKind(content.kind)
    proposal.forum_part = ForumPart(content.forum_part)
    for name in ("title", "summary", "description", "keywords", "language", "format_code", "format_other", "is_binding_request",
                 "duration_minutes", "expected_audience", "has_remote_participation"):
        setattr(proposal, name, getattr(content, name))
    codes = content.action_lines
    # Keep the rows that stay so that the ORM does not delete and re-insert the same primary keys.
    proposal.action_lines = [tag for tag in proposal.action_lines if tag.code in codes] + [
        ProposalActionLine(code=code) for code in codes if code not in proposal.action_line_codes]
    numbers = content.sdgs
    proposal.sdgs = [tag for tag in proposal.sdgs if tag.sdg in numbers] + [
        ProposalSdg(sdg=number) for number in numbers if number not in proposal.sdg_numbers]
    existing = list(proposal.speakers)
    proposal.speakers = []
    for position, data in enumerate(content.speakers):
        speaker = existing[position] if position < len(existing) else Speaker(answer=SpeakerAnswer.NOT_INVITED)
        email = (data.get("email") or "").strip().lower()
        if speaker.name != data["name"] or speaker.email != email:
            # Another person (or address) in this row: their own answer is asked again.
            speaker.answer, speaker.invited_at, speaker.answered_at = SpeakerAnswer.NOT_INVITED, None, None
        speaker.position = position
        speaker.name = data["name"]
        speaker.email = email
        speaker.organization = data.get("organization") or ""
        speaker.stakeholder_type = StakeholderType(data["stakeholder_type"]) if data.get("stakeholder_type") else None
        speaker.country = data.get("country") or None
        speaker.gender = data.get("gender") or ""
        # A speaker who confirmed through their link stays confirmed whatever the submitter's tick box says.
        speaker.is_confirmed = speaker.answer is SpeakerAnswer.CONFIRMED or bool(data.get("is_confirmed"))
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
    if creation_token:
        # Two POSTs of one form at once (a double click) take turns here, so the second finds the first's draft.
        lock_for_update(db.session, submitter)
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


def ensure_previewed_version(proposal: Proposal, *, expected_version, actor) -> None:
    """Refuse to submit a draft saved again since its preview was opened: what is submitted is what was read."""
    try:
        check_version(proposal, expected_version, actor=actor)
    except StaleVersionError as stale:
        raise StaleVersionError(
            f"{saved_meanwhile(stale.saved_by)} "
            + _("Nothing was submitted: the preview now shows the saved version. Read it, then submit it if it is right."),
            saved_by=stale.saved_by, is_worded=True) from None


def update_proposal(proposal: Proposal, *, actor, content: ProposalContent, expected_version=None) -> Proposal:
    """Save a draft, or edit a submitted proposal before the deadline (the edit is kept as a revision)."""
    _ensure_owner(proposal, actor)
    lock_for_update(db.session, proposal)
    if proposal.status is ProposalStatus.WITHDRAWN:
        raise DomainError(_("A withdrawn proposal cannot be changed."))
    ensure_phase_open(proposal.consultation, PhaseKind.CALL_OPEN)
    if _comparable(ProposalContent.of(proposal)) == _comparable(normalise_content(content)):
        # The same content again (a double click, a resent form): nothing to save, and no conflict to report.
        return proposal
    check_version(proposal, expected_version, actor=actor)
    if proposal.status is ProposalStatus.SUBMITTED:
        validate_for_submission(content)
    else:
        validate_content(content)
    _apply_content(proposal, content)
    db.session.flush()
    if proposal.status is ProposalStatus.SUBMITTED:
        _add_revision(proposal, actor)
        invite_speakers(proposal)
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


def submit_proposal(proposal: Proposal, *, actor) -> Proposal:
    """Submit a draft: it gets its number and the submitter's details, a revision, and a confirmation e-mail.

    Submitting a proposal that is submitted already (a double click) changes nothing and answers as the first did.
    """
    _ensure_owner(proposal, actor)
    lock_for_update(db.session, proposal)
    if proposal.status is ProposalStatus.SUBMITTED:
        return proposal
    if proposal.status is not ProposalStatus.DRAFT:
        raise DomainError(_("A withdrawn proposal cannot be submitted."))
    ensure_phase_open(proposal.consultation, PhaseKind.CALL_OPEN)
    if not actor.is_email_verified:
        raise DomainError(_("Confirm your e-mail address before you submit: open the link we sent to %(email)s, "
                            "or send a new one from your profile. Your draft is saved.", email=actor.email))
    validate_for_submission(ProposalContent.of(proposal))
    _record_submitter(proposal, actor)
    proposal.number = allocate_proposal_numbers(proposal.consultation_id)
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = utcnow()
    db.session.flush()
    _add_revision(proposal, actor)
    invite_speakers(proposal)
    with writing_to(actor):
        deadline = proposal.consultation.phase(PhaseKind.CALL_OPEN).closes_at
        link = url_for("proposals.show", proposal_id=proposal.id, _external=True) if has_request_context() else ""
        queue_email(
            actor.email,
            _("Proposal %(reference)s received: %(title)s", reference=proposal.reference, title=proposal.title),
            _("Dear %(name)s,\n\nThank you: your proposal “%(title)s” was received with the reference %(reference)s.\n\n"
              "You can edit or withdraw it until %(deadline)s (%(zone)s). After the deadline the review committee reviews "
              "every proposal and you will hear what became of it.\n\n%(link)s\n",
              name=actor.name, title=proposal.title, reference=proposal.reference,
              deadline=format_local(deadline, proposal.consultation.timezone), zone=proposal.consultation.timezone, link=link),
            category="proposal.submitted", consultation_id=proposal.consultation_id,
        )
    record_audit("proposal.submit", proposal, actor=actor, summary=f"{proposal.reference} {proposal.title}")
    return proposal


def ensure_withdrawable(proposal: Proposal) -> None:
    """Refuse to withdraw a draft (nobody else has seen it: it is deleted) or a proposal withdrawn already."""
    if proposal.status is ProposalStatus.DRAFT:
        raise DomainError(_("A draft is not withdrawn: nobody else has seen it. Delete it instead, with “Delete this "
                            "draft” on its page."))
    if proposal.status is ProposalStatus.WITHDRAWN:
        raise DomainError(_("This proposal was withdrawn already."))


def withdraw_proposal(proposal: Proposal, *, actor, reason: str = "", accept_consequences: bool = False) -> Proposal:
    """Withdraw a submitted proposal, keeping it on record with the reason given (a draft is deleted instead).

    A proposal already in a cluster or a session (after the call) is withdrawn only once the stakeholder has read
    what that does (accept_consequences); the chair is then told by e-mail, and the cluster and session pages show it.
    """
    _ensure_owner(proposal, actor)
    lock_for_update(db.session, proposal)
    ensure_withdrawable(proposal)
    consequences = withdrawal_consequences(proposal)
    if consequences and not accept_consequences:
        raise DomainError(_("Tick the box to confirm that you read what withdrawing does to the session."),
                          field="accept_consequences")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.withdrawn_at = utcnow()
    proposal.withdraw_reason = (reason or "").strip()
    db.session.flush()
    record_audit("proposal.withdraw", proposal, actor=actor, summary=f"{proposal.reference} {proposal.title}",
                 details={"reason": proposal.withdraw_reason, "consequences": consequences})
    if consequences:
        _tell_chairs_of_withdrawal(proposal, consequences)
    return proposal


def delete_draft(proposal: Proposal, *, actor) -> None:
    """Delete a draft that was never submitted (a submitted one is withdrawn instead, and kept on record)."""
    _ensure_owner(proposal, actor)
    if proposal.status is not ProposalStatus.DRAFT or proposal.number is not None:
        raise DomainError(_("Only a draft that was never submitted can be deleted; withdraw a submitted proposal."))
    record_audit("proposal.delete_draft", proposal, actor=actor, summary=proposal.title)
    db.session.delete(proposal)
    db.session.flush()


def _tell_chairs_of_withdrawal(proposal: Proposal, consequences: list[str]) -> None:
    """E-mail every active chair that a proposal in a cluster or session was withdrawn, with what it touches."""
    chairs = db.session.execute(sa.select(User).where(User.role == Role.CHAIR, User.is_active.is_(True))).scalars().all()
    for chair in chairs:
        with writing_to(chair):
            # The sentences again in the chair's language (the stakeholder read them in theirs).
            lines = withdrawal_consequences(proposal) or consequences
            body = "\n".join([
                _("%(reference)s “%(title)s” was withdrawn by its submitter.", reference=proposal.reference,
                  title=proposal.title),
                _("Reason given: %(reason)s", reason=proposal.withdraw_reason or _("none")), "", *lines, "",
                _("Decide whether the session goes ahead without it, and update the agenda."),
            ])
            queue_email(chair.email, _("Withdrawn after the call: %(reference)s", reference=proposal.reference), body,
                        category="proposal.withdrawn_after_call", consultation_id=proposal.consultation_id)


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
