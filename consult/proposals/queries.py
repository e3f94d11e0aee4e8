"""Reads of proposals: the filters, the lists' selects (public, chair, own), one proposal with its details."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult import reference
from consult.extensions import db
from consult.proposals.models import (
    Decision,
    Proposal,
    ProposalActionLine,
    ProposalKind,
    ProposalRevision,
    ProposalSdg,
    ProposalStatus,
)
from consult.proposals.search import matches_search
from consult.reference import StakeholderType

SUBMITTED_OR_WITHDRAWN = (ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN)


@dataclass
class ProposalFilters:
    """Search text and filters of a proposal list; empty strings mean 'any'."""

    q: str = ""
    kind: str = ""
    action_line: str = ""
    sdg: str = ""
    stakeholder_type: str = ""
    region: str = ""
    language: str = ""
    status: str = ""
    decision: str = ""
    source: str = ""

    @classmethod
    def from_form(cls, form) -> "ProposalFilters":
        """The filters of a validated filter form; invalid values count as 'any'."""
        values = {
            name: (getattr(form, name).data or "")
            if getattr(form, name, None) is not None and not getattr(form, name).errors
            else ""
            for name in cls.__dataclass_fields__
        }
        return cls(**{name: str(value).strip() for name, value in values.items()})


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def apply_filters(query: sa.Select, filters: ProposalFilters) -> sa.Select:
    """Narrow a select of proposals by the filters; unknown values match nothing rather than fail."""
    if filters.q:
        query = query.where(matches_search(filters.q, db.engine.dialect.name))
    if filters.kind in {kind.value for kind in ProposalKind}:
        query = query.where(Proposal.kind == ProposalKind(filters.kind))
    if filters.action_line in reference.ACTION_LINES_BY_CODE:
        codes = [line.code for line in reference.ACTION_LINES if filters.action_line in (line.code, line.parent)]
        # IN over the tag's own index rather than a correlated EXISTS: the matching ids are gathered once.
        query = query.where(Proposal.id.in_(sa.select(ProposalActionLine.proposal_id).where(ProposalActionLine.code.in_(codes))))
    if filters.sdg.isdigit() and int(filters.sdg) in reference.SDGS:
        query = query.where(Proposal.id.in_(sa.select(ProposalSdg.proposal_id).where(ProposalSdg.sdg == int(filters.sdg))))
    if filters.stakeholder_type in {member.value for member in StakeholderType}:
        query = query.where(Proposal.stakeholder_type == StakeholderType(filters.stakeholder_type))
    if filters.region in reference.REGION_LABELS:
        query = query.where(Proposal.region == filters.region)
    if filters.language in reference.LANGUAGE_LABELS:
        query = query.where(Proposal.language == filters.language)
    if filters.status in {status.value for status in SUBMITTED_OR_WITHDRAWN}:
        query = query.where(Proposal.status == ProposalStatus(filters.status))
    if filters.decision in {decision.value for decision in Decision}:
        query = query.where(Proposal.decision == Decision(filters.decision))
    if filters.source:
        query = query.where(sa.func.lower(Proposal.source).like(_like_pattern(filters.source), escape="\\"))
    return query


def with_tags(query: sa.Select) -> sa.Select:
    return query.options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))


def public_filters(filters: ProposalFilters) -> ProposalFilters:
    return ProposalFilters(**{**filters.__dict__, "status": "", "decision": "", "source": ""})


def public_proposals_select(consultation_id: int, filters: ProposalFilters) -> sa.Select:
    """Published list: submitted (not withdrawn) proposals, by number."""
    query = sa.select(Proposal).where(Proposal.consultation_id == consultation_id,
                                      Proposal.status == ProposalStatus.SUBMITTED)
    return with_tags(apply_filters(query, public_filters(filters)).order_by(Proposal.number))


def language_choices(counts: dict[str, int], any_label: str) -> list[tuple[str, str]]:
    """The language filter's choices with their counts: 'French (12)'; languages without a proposal come last."""
    named = [(code, _("%(language)s (%(count)d)", language=label, count=counts.get(code, 0)))
             for code, label in reference.LANGUAGE_LABELS.items()]
    return [("", any_label)] + sorted(named, key=lambda pair: counts.get(pair[0], 0) == 0)


def chair_proposals_select(consultation_id: int, filters: ProposalFilters) -> sa.Select:
    """The chair's list: submitted and withdrawn proposals (never drafts), by number."""
    query = sa.select(Proposal).where(Proposal.consultation_id == consultation_id,
                                      Proposal.status.in_(SUBMITTED_OR_WITHDRAWN))
    return with_tags(apply_filters(query, filters).order_by(Proposal.number))


def my_proposals_select(consultation_id: int, user_id: int) -> sa.Select:
    """A stakeholder's own proposals, newest first."""
    return with_tags(sa.select(Proposal).where(Proposal.consultation_id == consultation_id,
                                                Proposal.submitter_id == user_id)
                      .order_by(Proposal.created_at.desc(), Proposal.id.desc()))


def count_my_proposals(consultation_id: int, user_id: int) -> dict[ProposalStatus, int]:
    """How many proposals of each status a stakeholder has."""
    rows = db.session.execute(
        sa.select(Proposal.status, sa.func.count(Proposal.id))
        .where(Proposal.consultation_id == consultation_id, Proposal.submitter_id == user_id)
        .group_by(Proposal.status)
    ).all()
    return dict(rows)


def proposal_with_details(proposal_id: int) -> Proposal | None:
    """One proposal with its tags, speakers and consultation loaded."""
    return db.session.execute(
        sa.select(Proposal).where(Proposal.id == proposal_id)
        .options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs), selectinload(Proposal.speakers),
                 selectinload(Proposal.consultation))
    ).scalar_one_or_none()


def revisions_of(proposal_id: int) -> list[ProposalRevision]:
    """A proposal's revisions, oldest first, with their authors."""
    return list(db.session.execute(
        sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal_id)
        .options(selectinload(ProposalRevision.author)).order_by(ProposalRevision.number)
    ).scalars())
