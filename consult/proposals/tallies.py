"""Counts of proposals per consultation, status and value, kept current by the database's own triggers.

The chair's overview counts every proposal by kind, stakeholder type, region, language, action line and SDG. Read
live, that is a scan of the listing index and a join of both tag tables: 110-220 ms at 50,000 proposals on SQLite
and PostgreSQL alike. The table `proposal_tallies` holds those counts instead, one row per (consultation, status,
dimension, value), and triggers on `proposals` and its two tag tables change them in the same statement as the
rows they count. Every writer is covered (the forms, the import's bulk inserts, cascades, hand-written SQL), and a
transaction that rolls back takes its tally changes with it. Lists with a filter still count live: their rows are
few. The triggers are attached to the schema's creation (tests, benchmarks) and the migration 0008_tallies runs the
same statements.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from consult.extensions import db
from consult.proposals.models import ProposalTally

TALLY_TRIGGER_PREFIX = "proposal_tally_"

# What a proposal's own row is counted by: dimension -> SQL of its value (a missing value counts as '').
ROW_DIMENSIONS = {
    "kind": "{row}.kind",
    "stakeholder_type": "coalesce({row}.stakeholder_type, '')",
    "region": "coalesce({row}.region, '')",
    "language": "{row}.language",
}
# The tag tables: table -> (dimension, SQL of the value in the tag row).
TAG_TABLES = {
    "proposal_action_lines": ("action_line", "{row}.code"),
    "proposal_sdgs": ("sdg", "CAST({row}.sdg AS VARCHAR(16))"),
}
COUNTED_COLUMNS = ("consultation_id", "status", *ROW_DIMENSIONS)


@dataclass(frozen=True)
class Trigger:
    """One row trigger, spelled once for both engines: its statements differ only in the null-safe comparison.

    An insert trigger also says how to count a whole statement's rows at once (`per_statement`, reading the
    transition table new_rows): PostgreSQL runs that one instead. Counting row by row, a bulk import updated the
    same few tally rows hundreds of thousands of times in one transaction, and each update walks the row's chain
    of versions left by the previous ones: 50,000 proposals had not loaded after 12 minutes.
    """

    name: str
    timing: str
    event: str
    table: str
    statements: tuple[str, ...]
    when: tuple[str, ...] = ()
    per_statement: tuple[str, ...] = ()

    def sqlite(self) -> tuple[str, ...]:
        when = f" WHEN {' OR '.join(f'old.{column} IS NOT new.{column}' for column in self.when)}" if self.when else ""
        return (f"CREATE TRIGGER IF NOT EXISTS {self.name} {self.timing} {self.event} ON {self.table} FOR EACH ROW"
                f"{when} BEGIN {'; '.join(self.statements)}; END",)

    def postgresql(self) -> tuple[str, ...]:
        when = (f" WHEN ({' OR '.join(f'OLD.{column} IS DISTINCT FROM NEW.{column}' for column in self.when)})"
                if self.when else "")
        # A BEFORE trigger must hand the row back, or PostgreSQL skips the delete it guards.
        returned = "OLD" if self.timing == "BEFORE" else "NULL"
        statements, level = self.statements, f"FOR EACH ROW{when}"
        if self.per_statement:
            statements, level = self.per_statement, "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
        return (f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{'; '.join(statements)}; RETURN {returned}; END $$",
                f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
                f"CREATE TRIGGER {self.name} {self.timing} {self.event} ON {self.table} {level} "
                f"EXECUTE FUNCTION {self.name}()")


def _add(changes: list[str], *, summed: bool = False) -> str:
    """One statement adding the changes (SELECTs of consultation, status, dimension, value, delta) to the tallies.

    An update sums its changes first: keeping a value subtracts and adds the same row, which PostgreSQL's upsert may
    touch only once per statement. An insert or a delete changes each row once, and skips the grouping (a bulk
    import runs these triggers for every row).
    """
    grouped = (" GROUP BY consultation_id, status, dimension, value HAVING sum(delta) <> 0" if summed else "")
    # Built from this module's constants only (row names, dimensions, tables), never from input.
    summing = "sum(delta)" if summed else "delta"
    head = f"SELECT consultation_id, status, dimension, value, {summing} FROM ("  # noqa: S608  # nosec B608
    tail = f") AS changes WHERE true{grouped} "  # nosec B608
    insert = "INSERT INTO proposal_tallies (consultation_id, status, dimension, value, count) "  # nosec B608
    upsert = ("ON CONFLICT (consultation_id, status, dimension, value) "
              "DO UPDATE SET count = proposal_tallies.count + excluded.count")
    return insert + head + " UNION ALL ".join(changes) + tail + upsert


def _change(owner: str, dimension: str, value: str, delta: int, source: str = "") -> str:
    """A SELECT of one change: the owner row's consultation and status, a dimension, its value and the delta."""
    # Built from this module's constants only (row names, dimensions, tables), never from input.
    selected = f"'{dimension}' AS dimension, {value} AS value, {delta} AS delta {source}"
    return f"SELECT {owner}.consultation_id AS consultation_id, {owner}.status AS status, {selected}".rstrip()  # nosec B608


def _row_changes(row: str, delta: int, source: str = "") -> list[str]:
    return [_change(row, dimension, value.format(row=row), delta, source) for dimension, value in ROW_DIMENSIONS.items()]


def _tag_changes_of_proposal(row: str, delta: int) -> list[str]:
    return [_change(row, dimension, value.format(row="tag"), delta, f"FROM {table} AS tag WHERE tag.proposal_id = {row}.id")
            for table, (dimension, value) in TAG_TABLES.items()]


def _tag_change(table: str, row: str, delta: int) -> str:
    dimension, value = TAG_TABLES[table]
    # No row once the proposal is gone: its own BEFORE DELETE trigger has taken its tags off already.
    return _change("owner", dimension, value.format(row=row), delta,
                   f"FROM proposals AS owner WHERE owner.id = {row}.proposal_id")


# After a change that takes counts off: a value no proposal has any more leaves no row (the table stays a few
# hundred rows, and a restored backup, counted afresh, holds the same rows as the original).
DROP_EMPTY = "DELETE FROM proposal_tallies WHERE count = 0"


def _tags_inserted(table: str) -> str:
    dimension, value = TAG_TABLES[table]
    return _change("owner", dimension, value.format(row="tag"), 1,
                   "FROM new_rows AS tag JOIN proposals AS owner ON owner.id = tag.proposal_id")


def triggers() -> tuple[Trigger, ...]:
    """Every trigger that keeps the tallies current."""
    prefix = TALLY_TRIGGER_PREFIX
    found = [
        Trigger(f"{prefix}proposal_insert", "AFTER", "INSERT", "proposals", (_add(_row_changes("new", 1)),),
                per_statement=(_add(_row_changes("new_rows", 1, "FROM new_rows"), summed=True),)),
        Trigger(f"{prefix}proposal_update", "AFTER", f"UPDATE OF {', '.join(COUNTED_COLUMNS)}", "proposals",
                (_add(_row_changes("old", -1) + _row_changes("new", 1), summed=True), DROP_EMPTY),
                when=COUNTED_COLUMNS),
        Trigger(f"{prefix}proposal_moves_tags", "AFTER", "UPDATE OF consultation_id, status", "proposals",
                (_add(_tag_changes_of_proposal("old", -1) + _tag_changes_of_proposal("new", 1), summed=True),
                 DROP_EMPTY), when=("consultation_id", "status")),
        Trigger(f"{prefix}proposal_delete", "BEFORE", "DELETE", "proposals",
                (_add(_row_changes("old", -1) + _tag_changes_of_proposal("old", -1)), DROP_EMPTY)),
    ]
    for table in TAG_TABLES:
        found += [
            Trigger(f"{prefix}{table}_insert", "AFTER", "INSERT", table, (_add([_tag_change(table, "new", 1)]),),
                    per_statement=(_add([_tags_inserted(table)], summed=True),)),
            Trigger(f"{prefix}{table}_delete", "AFTER", "DELETE", table,
                    (_add([_tag_change(table, "old", -1)]), DROP_EMPTY)),
            Trigger(f"{prefix}{table}_update", "AFTER", "UPDATE", table,
                    (_add([_tag_change(table, "old", -1), _tag_change(table, "new", 1)], summed=True), DROP_EMPTY)),
        ]
    return tuple(found)


def create_tally_triggers(connection: sa.Connection) -> None:
    """Create the triggers (the table exists already)."""
    for trigger in triggers():
        statements = trigger.postgresql() if connection.dialect.name == "postgresql" else trigger.sqlite()
        for statement in statements:
            connection.exec_driver_sql(statement)


def drop_tally_triggers(connection: sa.Connection) -> None:
    """Drop the triggers (and, on PostgreSQL, their functions)."""
    for trigger in triggers():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}")
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {trigger.name}()")
        else:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger.name}")


def recount(connection: sa.Connection) -> None:
    """Fill the tallies from the rows themselves (a migration over existing data, or a repair)."""
    connection.execute(sa.delete(ProposalTally))
    connection.exec_driver_sql(_add(summed=True, changes=_row_changes("proposals", 1, "FROM proposals") + [
        _change("owner", dimension, value.format(row="tag"), 1,
                f"FROM {table} AS tag JOIN proposals AS owner ON owner.id = tag.proposal_id")
        for table, (dimension, value) in TAG_TABLES.items()]))


def tallies(consultation_id: int, statuses) -> dict[str, dict[str, int]]:
    """The counts of a consultation's proposals in the given statuses: dimension -> value -> count."""
    rows = db.session.execute(
        sa.select(ProposalTally.dimension, ProposalTally.value, sa.func.sum(ProposalTally.count))
        .where(ProposalTally.consultation_id == consultation_id,
               ProposalTally.status.in_([status.value for status in statuses]))
        .group_by(ProposalTally.dimension, ProposalTally.value))
    counted: dict[str, dict[str, int]] = {}
    for dimension, value, count in rows:
        counted.setdefault(dimension, {})[value] = int(count)
    return counted


@sa.event.listens_for(db.metadata, "after_create")
def _after_schema_created(metadata, connection, **kwargs) -> None:
    if ProposalTally.__table__.name in {table.name for table in kwargs.get("tables", metadata.sorted_tables)}:
        create_tally_triggers(connection)


@sa.event.listens_for(db.metadata, "before_drop")
def _before_schema_dropped(metadata, connection, **kwargs) -> None:
    if ProposalTally.__table__.name in {table.name for table in kwargs.get("tables", metadata.sorted_tables)}:
        drop_tally_triggers(connection)
