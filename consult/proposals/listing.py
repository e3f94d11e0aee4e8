"""The public and the chair's proposal lists with their counts, each read in as few passes as the filters allow.

- Without a filter the counts are the maintained tallies (consult/proposals/tallies.py) and the page is read by
  number from the listing index.
- A filter that leaves few proposals (LIST_COUNTED_IN_APP) is evaluated once: one statement reads the matching ids
  and counted values from the listing index, two more count their tags by id, and the page is read by its ids.
  Counting by row values, by action line and by SDG and then reading the page evaluated the filter four times,
  and a full-text search costs 15-30 ms per evaluation at 50,000 proposals.
- A filter that leaves many is counted by the database, where grouping beats fetching every row.
"""
from array import array
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from consult import reference
from consult.extensions import db
from consult.pagecache import memoized_until_next_change
from consult.proposals.models import PROPOSAL_KIND_LABELS, Proposal, ProposalActionLine, ProposalSdg, ProposalStatus
from consult.proposals.queries import (
    SUBMITTED_OR_WITHDRAWN,
    ProposalFilters,
    apply_filters,
    chair_proposals_select,
    public_filters,
    public_proposals_select,
    with_tags,
)
from consult.proposals.tallies import tallies

# The proposals' own counted columns, read as stored (no enum conversion for thousands of rows).
ROW_COLUMNS = {"kind": Proposal.kind, "stakeholder_type": Proposal.stakeholder_type, "region": Proposal.region,
               "language": Proposal.language}


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


@dataclass(frozen=True)
class FilteredProposals:
    """Every proposal a filter matches, read once: ids by number, each one's language, and the counts."""

    ids: array = field(default_factory=lambda: array("q"))
    languages: tuple[str, ...] = ()
    counted: dict[str, dict[str, int]] = field(default_factory=dict)

    def in_language(self, language: str) -> array:
        """The ids of those written in one language, in list order."""
        return array("q", (id_ for id_, written in zip(self.ids, self.languages, strict=True) if written == language))


def _value(value) -> str:
    """A counted value as the tallies store it: an enum's value, '' for none."""
    return "" if value is None else str(getattr(value, "value", value))


def _within(consultation_id: int, statuses) -> sa.ColumnElement[bool]:
    return sa.and_(Proposal.consultation_id == consultation_id, Proposal.status.in_(statuses))


def read_filtered(consultation_id: int, statuses, filters: ProposalFilters, *, limit: int) -> FilteredProposals | None:
    """The proposals in the statuses that the filters match, with their counts; None when more than limit match."""
    columns = [sa.type_coerce(column, sa.String).label(name) for name, column in ROW_COLUMNS.items()]
    # No ORDER BY: the listing index answers alone, where ordering by number read every wide row (190 ms).
    rows = db.session.execute(apply_filters(sa.select(Proposal.id, Proposal.number, *columns)
                                            .where(_within(consultation_id, statuses)), filters)
                              .limit(limit + 1)).all()
    if len(rows) > limit:
        return None
    rows.sort(key=lambda row: (row.number is None, row.number, row.id))
    counted = {name: dict(Counter(_value(getattr(row, name)) for row in rows)) for name in ROW_COLUMNS}
    ids = array("q", (row.id for row in rows))
    if ids:
        for name, value_column, owner_column in (("action_line", ProposalActionLine.code, ProposalActionLine.proposal_id),
                                                 ("sdg", ProposalSdg.sdg, ProposalSdg.proposal_id)):
            counted[name] = {_value(value): count for value, count in db.session.execute(
                sa.select(value_column, sa.func.count()).where(_among(owner_column, ids)).group_by(value_column))}
    return FilteredProposals(ids, tuple(row.language for row in rows),
                             {name: values for name, values in counted.items() if values})


def _among(column: sa.ColumnElement, ids: array) -> sa.ColumnElement[bool]:
    """column IN ids; on PostgreSQL as one array parameter, not one parameter per id (up to LIST_COUNTED_IN_APP)."""
    if db.engine.dialect.name == "postgresql":
        return column == sa.any_(sa.literal(list(ids), type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(list(ids))


def count_in_database(consultation_id: int, statuses, filters: ProposalFilters) -> dict[str, dict[str, int]]:
    """The filtered proposals counted by GROUP BY, as the tallies count them: dimension -> value -> count.

    The row values come from one GROUP BY over the listing index, the tags from another: joining the filtered ids
    back to the proposals' rows, or testing the tags against a list of those ids, read the wide rows.
    """
    def counted(*columns) -> sa.Select:
        return apply_filters(sa.select(*columns).where(_within(consultation_id, statuses)), filters)

    found: dict[str, dict[str, int]] = {}

    def add(dimension: str, value, count: int) -> None:
        values = found.setdefault(dimension, {})
        values[_value(value)] = values.get(_value(value), 0) + count

    for row in db.session.execute(counted(*ROW_COLUMNS.values(), sa.func.count()).group_by(*ROW_COLUMNS.values())):
        for dimension, value in zip(ROW_COLUMNS, row[:-1], strict=True):
            add(dimension, value, row[-1])
    # Aliases: the action-line and SDG filters select from the tag tables themselves, and must not be correlated.
    line, sdg = aliased(ProposalActionLine), aliased(ProposalSdg)
    tags = sa.union_all(
        counted(sa.literal("action_line").label("dimension"), line.code.label("value"), sa.func.count().label("count"))
        .join_from(Proposal, line, line.proposal_id == Proposal.id).group_by(line.code),
        counted(sa.literal("sdg"), sa.cast(sdg.sdg, sa.String), sa.func.count())
        .join_from(Proposal, sdg, sdg.proposal_id == Proposal.id).group_by(sdg.sdg))
    for dimension, value, count in db.session.execute(tags):
        add(dimension, value, count)
    return found


@dataclass(frozen=True)
class ListReading:
    """What a filtered list read: the proposals themselves when few matched, else only the database's counts."""

    counted: dict[str, dict[str, int]]
    filtered: FilteredProposals | None


def _read(consultation_id: int, statuses, filters: ProposalFilters) -> ListReading:
    """A filtered list's reading, kept until the next commit that changes content (its pages all read the same)."""
    def read() -> ListReading:
        filtered = read_filtered(consultation_id, statuses, filters, limit=current_app.config["LIST_COUNTED_IN_APP"])
        if filtered is not None:
            return ListReading(filtered.counted, filtered)
        return ListReading(count_in_database(consultation_id, statuses, filters), None)

    key = ("list", consultation_id, tuple(statuses), tuple(sorted(filters.__dict__.items())))
    return memoized_until_next_change(key, read)


def count_proposals(consultation_id: int, filters: ProposalFilters) -> ProposalCounts:
    """Counts of the chair's filtered proposals by kind, stakeholder type, region, language, action line and SDG."""
    return _chair_reading(consultation_id, filters)[0]


def _chair_reading(consultation_id: int, filters: ProposalFilters) -> tuple[ProposalCounts, array | None]:
    """The chair's counts, and the filtered ids in list order when they were read with them (None otherwise)."""
    if filters == ProposalFilters():
        return counts_of(tallies(consultation_id, SUBMITTED_OR_WITHDRAWN)), None
    reading = _read(consultation_id, SUBMITTED_OR_WITHDRAWN, filters)
    return counts_of(reading.counted), reading.filtered.ids if reading.filtered is not None else None


def counts_of(counted: dict[str, dict[str, int]]) -> ProposalCounts:
    """The overview's labelled counts of dimension -> value -> count."""
    kinds, types, regions = counted.get("kind", {}), counted.get("stakeholder_type", {}), counted.get("region", {})
    lines, sdgs, languages = counted.get("action_line", {}), counted.get("sdg", {}), counted.get("language", {})
    return ProposalCounts(
        total=sum(kinds.values()),
        by_kind=[(str(label), kinds.get(kind.value, 0)) for kind, label in PROPOSAL_KIND_LABELS.items()],
        by_stakeholder_type=[(str(label), types.get(member.value, 0))
                             for member, label in reference.STAKEHOLDER_TYPE_LABELS.items()]
        + ([(_unknown_label(), types[""])] if types.get("") else []),
        by_region=[(str(label), regions.get(code, 0)) for code, label in reference.REGION_LABELS.items()]
        + ([(_unknown_label(), regions[""])] if regions.get("") else []),
        by_action_line=[(line.label, lines.get(line.code, 0)) for line in reference.ACTION_LINES],
        by_sdg=[(f"{number} {title}", sdgs.get(str(number), 0)) for number, title in reference.SDGS.items()],
        by_language=[(str(label), languages.get(code, 0)) for code, label in reference.LANGUAGE_LABELS.items()],
    )


def _unknown_label() -> str:
    return _("Not given")


class IdPagination(Pagination):
    """A page of a list whose ids are known in order: the page is read by its ids alone."""

    def _query_items(self) -> list[Proposal]:
        page_ids = list(self._query_args["ids"][self._query_offset:self._query_offset + self.per_page])
        if not page_ids:
            return []
        return list(db.session.execute(with_tags(sa.select(Proposal).where(Proposal.id.in_(page_ids))
                                                 .order_by(Proposal.number))).scalars())

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


def _page(select: sa.Select, *, total: int, page: int, per_page: int) -> SelectPagination:
    pagination = SelectPagination(select=select, session=db.session(), page=page, per_page=per_page,
                                  max_per_page=None, error_out=False, count=False)
    pagination.total = total
    return pagination


def _page_of_ids(ids: array, *, page: int, per_page: int) -> IdPagination:
    return IdPagination(ids=ids, page=page, per_page=per_page, max_per_page=None, error_out=False)


def chair_list(consultation_id: int, filters: ProposalFilters, *, page: int,
               per_page: int) -> tuple[ProposalCounts, Pagination]:
    """The chair's counts and page of the filtered submitted and withdrawn proposals (never drafts)."""
    counts, ids = _chair_reading(consultation_id, filters)
    if ids is not None:
        return counts, _page_of_ids(ids, page=page, per_page=per_page)
    # The counts cover the same filtered proposals as the list: their total is the list's.
    return counts, _page(chair_proposals_select(consultation_id, filters), total=counts.total, page=page,
                         per_page=per_page)


def public_list(consultation_id: int, filters: ProposalFilters, *, page: int,
                per_page: int) -> tuple[dict[str, int], Pagination]:
    """The published list's page and its language filter's counts (under the other filters)."""
    filters = public_filters(filters)
    language = filters.language if filters.language in reference.LANGUAGE_LABELS else ""
    others = ProposalFilters(**{**filters.__dict__, "language": ""})
    filtered = None
    if others == ProposalFilters():
        counts = tallies(consultation_id, (ProposalStatus.SUBMITTED,)).get("language", {})
    else:
        reading = _read(consultation_id, (ProposalStatus.SUBMITTED,), others)
        counts, filtered = reading.counted.get("language", {}), reading.filtered
    if filtered is not None:
        return counts, _page_of_ids(filtered.in_language(language) if language else filtered.ids, page=page,
                                    per_page=per_page)
    # The language filter's counts add up to the list's total: no count query of its own.
    total = counts.get(language, 0) if language else sum(counts.values())
    return counts, _page(public_proposals_select(consultation_id, filters), total=total, page=page, per_page=per_page)
