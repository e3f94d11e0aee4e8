"""The submissions as the published documents print them: outcomes in words, annex entries within the chair's privacy.

What an annex may print is decided here, once: accepted and merged submissions with their organization (the
submitter's name only when the chair chooses it), others without any name or not at all; e-mail addresses and
speakers' gender are never read into an annex entry.
"""
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from consult import reference
from consult.agenda.models import AgendaSession
from consult.clustering.models import Cluster, ClusterMember
from consult.extensions import db
from consult.proposals.models import DECISION_LABELS, PROPOSAL_KIND_LABELS, Decision, Proposal, ProposalStatus
from consult.reference import SDGS, SESSION_FORMATS_BY_CODE, STAKEHOLDER_TYPE_LABELS, ForumPart, in_reader_language
from consult.reports.models import DeclinedInAnnex
from consult.reports.queries import action_line_label
from consult.review.models import DecisionReason
from consult.text import render_markdown

ONLINE_SOURCE = "online"
TAKEN_UP = (Decision.ACCEPTED, Decision.MERGE)


def load_submissions(consultation_id: int) -> list[Proposal]:
    """Every submitted or withdrawn proposal with its tags, in reference order."""
    return list(db.session.execute(
        sa.select(Proposal)
        .where(Proposal.consultation_id == consultation_id, Proposal.status != ProposalStatus.DRAFT)
        .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs), selectinload(Proposal.speakers))
        .order_by(Proposal.number, Proposal.id)
    ).scalars())


def cluster_links(consultation_id: int) -> dict:
    """Which cluster each proposal sits in, which session each cluster became, and the session ids per cluster."""
    members = db.session.execute(
        sa.select(ClusterMember.proposal_id, ClusterMember.duplicate_of_id, Cluster.id, Cluster.title)
        .join(Cluster, Cluster.id == ClusterMember.cluster_id).where(Cluster.consultation_id == consultation_id)
    ).all()
    sessions = db.session.execute(
        sa.select(AgendaSession.id, AgendaSession.cluster_id, AgendaSession.title)
        .where(AgendaSession.consultation_id == consultation_id, AgendaSession.cluster_id.is_not(None))
    ).all()
    return {"member_by_proposal": {row[0]: row for row in members},
            "session_title_by_cluster": {cluster_id: title for _id, cluster_id, title in sessions},
            "cluster_by_session": {session_id: cluster_id for session_id, cluster_id, _title in sessions}}


def submission_outcomes(consultation_id: int, proposals: list[Proposal], links: dict | None = None) -> dict[int, str]:
    """What became of each proposal, in words: accepted into session X, merged into X, declined with the reason."""
    links = links or cluster_links(consultation_id)
    reasons = {reason_id: in_reader_language(label) for reason_id, label in db.session.execute(
        sa.select(DecisionReason.id, DecisionReason.label).where(DecisionReason.consultation_id == consultation_id))}
    reference_by_id = {proposal.id: proposal.reference for proposal in proposals}
    outcomes = {}
    for proposal in proposals:
        member = links["member_by_proposal"].get(proposal.id)
        session_title = links["session_title_by_cluster"].get(member[2]) if member else None
        if proposal.status is ProposalStatus.WITHDRAWN:
            outcomes[proposal.id] = _("Withdrawn by the submitter")
        elif member and member[1]:
            target = reference_by_id.get(member[1], _("another proposal"))
            outcomes[proposal.id] = (_("Merged into %(target)s (session “%(session)s”)", target=target, session=session_title)
                                     if session_title else _("Merged into %(target)s", target=target))
        elif proposal.decision is Decision.ACCEPTED:
            outcomes[proposal.id] = (_("Accepted into session “%(session)s”", session=session_title) if session_title
                                     else _("Accepted (theme “%(theme)s”)", theme=member[3]) if member else _("Accepted"))
        elif proposal.decision is Decision.MERGE:
            outcomes[proposal.id] = (_("Merged into session “%(session)s”", session=session_title) if session_title
                                     else _("Merged into theme “%(theme)s”", theme=member[3]) if member
                                     else _("To be merged"))
        elif proposal.decision is Decision.DECLINED:
            reason = reasons.get(proposal.decision_reason_id)
            outcomes[proposal.id] = _("Declined: %(reason)s", reason=reason) if reason else _("Declined")
        else:
            outcomes[proposal.id] = str(DECISION_LABELS[Decision.PENDING])
    return outcomes


def annex_group(proposal: Proposal) -> str:
    """Which annex prints a submission, as the OCP outcomes report grouped them."""
    if (proposal.source or ONLINE_SOURCE).strip().lower() != ONLINE_SOURCE:
        return "physical_meetings"
    return proposal.forum_part.value


ANNEX_GROUPS = (
    (ForumPart.THEMES_AND_STRUCTURE.value, _l("Submissions on themes and structure")),
    (ForumPart.ACTION_LINES.value, _l("Submissions on the WSIS action lines")),
    (ForumPart.HIGH_LEVEL_SEGMENT.value, _l("Submissions on the high-level segment")),
    ("physical_meetings", _l("Contributions made at physical meetings")),
)


def is_taken_up(proposal: Proposal) -> bool:
    """Accepted or merged, and not withdrawn: the submissions the annexes print with their organization."""
    return proposal.status is ProposalStatus.SUBMITTED and proposal.decision in TAKEN_UP


def annex_entries(proposals: list[Proposal], outcomes: dict[int, str], settings) -> list[dict]:
    """The annex entries the chair's settings allow, names removed where they must not appear."""
    entries = []
    for proposal in proposals:
        if proposal.status is ProposalStatus.WITHDRAWN and not settings.is_listing_withdrawn:
            continue
        named = is_taken_up(proposal)
        if not named and settings.declined_in_annex is DeclinedInAnnex.OMITTED:
            continue
        entries.append(submission_record(proposal, outcomes[proposal.id], named=named,
                                         with_submitter=named and settings.is_naming_submitters))
    return entries


def submission_record(proposal: Proposal, outcome: str, *, named: bool = True, with_submitter: bool = False) -> dict:
    """One annex entry: the submission as plain data, its text as sanitised HTML; names only when `named`."""
    return {
        "id": proposal.id,
        "reference": proposal.reference,
        "title": proposal.title,
        "kind": str(PROPOSAL_KIND_LABELS[proposal.kind]),
        "organization": proposal.organization if named else "",
        "submitter_name": proposal.submitter_name if with_submitter else "",
        "stakeholder_type": str(STAKEHOLDER_TYPE_LABELS[proposal.stakeholder_type]) if proposal.stakeholder_type else "",
        "country": reference.country_name(proposal.country) if named else "",
        "source": proposal.source,
        "action_lines": [action_line_label(code) for code in proposal.action_line_codes],
        "sdgs": [f"{number} {SDGS[number]}" for number in proposal.sdg_numbers],
        "summary_html": cached_markdown(proposal.summary),
        "description_html": cached_markdown(proposal.description) if named else "",
        "format": str(SESSION_FORMATS_BY_CODE[proposal.format_code].label)
        if proposal.format_code in SESSION_FORMATS_BY_CODE else (proposal.format_other or ""),
        "speakers": [{"name": s.name, "organization": s.organization} for s in proposal.speakers] if named else [],
        "outcome": outcome,
        "group": annex_group(proposal),
    }


@lru_cache(maxsize=20000)
def cached_markdown(text: str):
    """render_markdown, remembered: a rebuild after one change renders the other texts from memory."""
    return render_markdown(text)
