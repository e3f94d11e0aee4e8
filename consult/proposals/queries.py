"""Reads of proposals: filtered lists (public, chair, own), counts for the overview."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy.orm import aliased, selectinload

from consult import reference
from consult.extensions import db
from consult.pagecache import memoized_until_next_change
from consult.proposals.models import (
    PROPOSAL_KIND_LABELS,
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


class ProposalPagination(SelectPagination):
    """A page of a proposal list, its total counted on the listing index alone.

    Flask-SQLAlchemy counts the rows of the whole select as a subquery, which SQLite answers by reading every
    (wide) row: 70-90 ms at 50,000 proposals, against 3 ms for a count over the same conditions.
    """

    def _query_count(self) -> int:
        select = self._query_args["select"]
        return self._query_args["session"].execute(
            sa.select(sa.func.count(Proposal.id)).where(select.whereclause)).scalar_one()


def paginate_proposals(select: sa.Select, *, page: int, per_page: int, total: int | None = None) -> ProposalPagination:
    """A page of a proposal select; total, when the caller has counted it already, saves the count query."""
    pagination = ProposalPagination(select=select, session=db.session(), page=page, per_page=per_page,
                                    max_per_page=None, error_out=False, count=total is None)
    if total is not None:
        pagination.total = total
    return pagination


def _with_tags(query: sa.Select) -> sa.Select:
    return query.options(selectinload(Proposal.action_lines), selectinload(Proposal.sdgs))


def _public_filters(filters: ProposalFilters) -> ProposalFilters:
    return ProposalFilters(**{**filters.__dict__, "status": "", "decision": "", "source": ""})


def public_proposals_select(consultation_id: int, filters: ProposalFilters) -> sa.Select:
    """Published list: submitted (not withdrawn) proposals, by number."""
    query = sa.select(Proposal).where(Proposal.consultation_id == consultation_id,
                                      Proposal.status == ProposalStatus.SUBMITTED)
    return _with_tags(apply_filters(query, _public_filters(filters)).order_by(Proposal.number))


def count_public_languages(consultation_id: int, filters: ProposalFilters) -> dict[str, int]:
    """How many published proposals each language has under the other filters (the language filter's counts)."""
    others = ProposalFilters(**{**_public_filters(filters).__dict__, "language": ""})
    counted = apply_filters(sa.select(Proposal.id).where(Proposal.consultation_id == consultation_id,
                                                         Proposal.status == ProposalStatus.SUBMITTED), others)

    def count() -> dict[str, int]:
        rows = db.session.execute(sa.select(Proposal.language, sa.func.count()).where(Proposal.id.in_(counted))
                                  .group_by(Proposal.language)).all()
        return {language: number for language, number in rows}

    return memoized_until_next_change(("public_languages", consultation_id, tuple(sorted(others.__dict__.items()))),
                                      count)


def language_choices(counts: dict[str, int], any_label: str) -> list[tuple[str, str]]:
    """The language filter's choices with their counts: 'French (12)'; languages without a proposal come last."""
    named = [(code, _("%(language)s (%(count)d)", language=label, count=counts.get(code, 0)))
             for code, label in reference.LANGUAGE_LABELS.items()]
    return [("", any_label)] + sorted(named, key=lambda pair: counts.get(pair[0], 0) == 0)


def chair_proposals_select(consultation_id: int, filters: ProposalFilters) -> sa.Select:
    """The chair's list: submitted and withdrawn proposals (never drafts), by number."""
    query = sa.select(Proposal).where(Proposal.consultation_id == consultation_id,
                                      Proposal.status.in_(SUBMITTED_OR_WITHDRAWN))
    return _with_tags(apply_filters(query, filters).order_by(Proposal.number))


def my_proposals_select(consultation_id: int, user_id: int) -> sa.Select:
    """A stakeholder's own proposals, newest first."""
    return _with_tags(sa.select(Proposal).where(Proposal.consultation_id == consultation_id,
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


@dataclass
class ProposalCounts:
    """The chair's overview: how many proposals by kind, stakeholder type, region, action line and SDG."""

    total: int
    by_kind: list[tuple[str, int]]
    by_stakeholder_type: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    by_action_line: list[tuple[str, int]]
    by_sdg: list[tuple[str, int]]
    by_language: list[tuple[str, int]]


def count_proposals(consultation_id: int, filters: ProposalFilters) -> ProposalCounts:
    """Counts of the filtered proposals: kind, type and region from one GROUP BY, action lines and SDGs from another.

    Each reads the listing index alone (and the tags' primary keys): joining the filtered ids back to the proposals'
    rows, or testing the tags against a list of those ids, read the wide rows and took four times as long at 50,000.
    """
    def counted(*columns) -> sa.Select:
        return apply_filters(sa.select(*columns).where(Proposal.consultation_id == consultation_id,
                                                        Proposal.status.in_(SUBMITTED_OR_WITHDRAWN)), filters)

    kinds: dict = {}
    types: dict = {}
    regions: dict = {}
    languages: dict = {}
    for kind, stakeholder_type, region, language, count in db.session.execute(
            counted(Proposal.kind, Proposal.stakeholder_type, Proposal.region, Proposal.language, sa.func.count())
            .group_by(Proposal.kind, Proposal.stakeholder_type, Proposal.region, Proposal.language)):
        kinds[kind] = kinds.get(kind, 0) + count
        types[stakeholder_type] = types.get(stakeholder_type, 0) + count
        regions[region] = regions.get(region, 0) + count
        languages[language] = languages.get(language, 0) + count
    # Aliases: the action-line and SDG filters select from the tag tables themselves, and must not be correlated.
    line, sdg = aliased(ProposalActionLine), aliased(ProposalSdg)
    tags = sa.union_all(
        counted(sa.literal("line").label("dimension"), line.code.label("value"), sa.func.count().label("count"))
        .join_from(Proposal, line, line.proposal_id == Proposal.id).group_by(line.code),
        counted(sa.literal("sdg"), sa.cast(sdg.sdg, sa.String), sa.func.count())
        .join_from(Proposal, sdg, sdg.proposal_id == Proposal.id).group_by(sdg.sdg))
    lines: dict = {}
    sdgs: dict = {}
    for dimension, value, count in db.session.execute(tags):
        if dimension == "line":
            lines[value] = count
        else:
            sdgs[int(value)] = count
    return ProposalCounts(
        total=sum(kinds.values()),
        by_kind=[(str(label), kinds.get(kind, 0)) for kind, label in PROPOSAL_KIND_LABELS.items()],
        by_stakeholder_type=[(str(label), types.get(member, 0)) for member, label in reference.STAKEHOLDER_TYPE_LABELS.items()]
        + ([(_unknown_label(), types[None])] if types.get(None) else []),
        by_region=[(str(label), regions.get(code, 0)) for code, label in reference.REGION_LABELS.items()]
        + ([(_unknown_label(), regions[None])] if regions.get(None) else []),
        by_action_line=[(line.label, lines.get(line.code, 0)) for line in reference.ACTION_LINES],
        by_sdg=[(f"{number} {title}", sdgs.get(number, 0)) for number, title in reference.SDGS.items()],
        by_language=[(str(label), languages.get(code, 0)) for code, label in reference.LANGUAGE_LABELS.items()],
    )


def current_counts(consultation_id: int, filters: ProposalFilters) -> ProposalCounts:
    """count_proposals, kept until the next commit that changes content (every page of the list shows the same)."""
    return memoized_until_next_change(("proposal_counts", consultation_id, tuple(sorted(filters.__dict__.items()))),
                                      lambda: count_proposals(consultation_id, filters))


def _unknown_label() -> str:
    return _("Not given")


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
