"""Whole-database backups as one JSON file: every table of the metadata, in dependency order, types kept.

The format is generic over `db.metadata.sorted_tables`, so a table an area adds is backed up without any change
here; tables that triggers derive from others (`consult.db.derived_tables`) are left out and counted again as the
rows are restored. Values are written as JSON with their type made explicit by the column they belong to: aware UTC datetimes,
dates and times in ISO 8601, enums by their stored value, JSON columns as they are, floats by their shortest exact
representation. Import reads the types from the current metadata, refuses a database that holds rows unless told
to replace them, inserts everything in one transaction and moves PostgreSQL's id sequences past the imported ids.
"""
import base64
import decimal
import enum
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import IO, Any

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from consult.db import derived_tables, stored_tables, utcnow
from consult.extensions import db

BACKUP_FORMAT = "consult-backup"
BACKUP_VERSION = 1
INSERT_BATCH_SIZE = 1000


class BackupError(Exception):
    """The backup file cannot be imported into this database; the message says why."""


def export_all(stream: IO[str]) -> dict[str, int]:
    """Write every table's rows to stream as one JSON document; returns the row count of each table."""
    connection = db.session.connection()
    counts: dict[str, int] = {}
    header = {"format": BACKUP_FORMAT, "version": BACKUP_VERSION, "exported_at": utcnow().isoformat(),
              "dialect": connection.dialect.name, "schema_revision": schema_revision()}
    stream.write(json.dumps(header, ensure_ascii=False)[:-1])
    stream.write(', "tables": [')
    for index, table in enumerate(stored_tables(db.metadata)):
        columns = [column.name for column in table.columns]
        stream.write(",\n" if index else "\n")
        stream.write(json.dumps({"name": table.name, "columns": columns}, ensure_ascii=False)[:-1])
        stream.write(', "rows": [')
        count = 0
        for row in _table_rows(connection, table):
            stream.write(",\n" if count else "\n")
            stream.write(json.dumps([encode_value(value) for value in row], ensure_ascii=False, allow_nan=False))
            count += 1
        stream.write("]}")
        counts[table.name] = count
    stream.write("\n]}\n")
    return counts


def _table_rows(connection: sa.Connection, table: sa.Table) -> Iterator[sa.Row]:
    """Rows in primary-key order, fetched in batches so that a large table does not fill the memory."""
    query = sa.select(table).order_by(*(table.primary_key.columns or table.columns))
    result = connection.execution_options(yield_per=INSERT_BATCH_SIZE).execute(query)
    yield from result


def encode_value(value: Any) -> Any:
    """A column value as plain JSON (the column's type tells import how to read it back)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise BackupError(f"naive datetime {value!r} in the database: every stored time must be UTC-aware")
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def decode_value(column: sa.Column, value: Any) -> Any:
    """A JSON value read back into the Python type of column."""
    if value is None:
        return None
    column_type = column.type
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.Enum):
        return column_type.enum_class(value) if column_type.enum_class else value
    if isinstance(column_type, sa.JSON):
        return value
    if isinstance(column_type, sa.DateTime):
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    if isinstance(column_type, sa.Date):
        return date.fromisoformat(value)
    if isinstance(column_type, sa.Time):
        return time.fromisoformat(value)
    if isinstance(column_type, sa.Numeric) and column_type.asdecimal:
        return decimal.Decimal(value)
    if isinstance(column_type, sa.Float):
        return float(value)
    if isinstance(column_type, sa.LargeBinary):
        return base64.b64decode(value)
    return value


def import_all(stream: IO[str], *, replace: bool = False) -> dict[str, int]:
    """Load a backup written by export_all into this database; flushes, the caller commits.

    Refuses a database holding rows unless replace is set, in which case every table is emptied first.
    """
    document = json.load(stream)
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise BackupError("This is not a consult backup file.")
    if document.get("version") != BACKUP_VERSION:
        raise BackupError(f"Backup format version {document.get('version')!r} is not supported (expected {BACKUP_VERSION}).")
    current_revision, file_revision = schema_revision(), document.get("schema_revision")
    if current_revision and file_revision and current_revision != file_revision:
        raise BackupError(f"The backup was made at schema revision {file_revision}, this database is at "
                          f"{current_revision}: migrate one of them first.")
    tables = {table.name: table for table in stored_tables(db.metadata)}
    derived = {table.name for table in derived_tables(db.metadata)}
    entries = [entry for entry in document.get("tables", []) if entry.get("name") not in derived]
    _check_tables_known(entries, tables)
    non_empty = [name for name, count in table_counts().items() if count]
    if non_empty and not replace:
        shown = ", ".join(non_empty[:3]) + (f" and {len(non_empty) - 3} more tables" if len(non_empty) > 3 else "")
        raise BackupError(f"The database is not empty ({shown} have rows): import into an empty database, "
                          "or pass --replace to delete everything in it first.")
    connection = db.session.connection()
    if non_empty:
        for table in reversed(stored_tables(db.metadata)):
            connection.execute(table.delete())
        # Last: deleting the rows above made their triggers write to these.
        for table in derived_tables(db.metadata):
            connection.execute(table.delete())
    counts = {}
    for entry in _in_dependency_order(entries, tables):
        table = tables[entry["name"]]
        columns = [table.columns[name] for name in entry["columns"]]
        rows = ({column.name: decode_value(column, value) for column, value in zip(columns, row, strict=True)}
                for row in entry["rows"])
        counts[table.name] = _insert_in_batches(connection, table, rows)
    reset_sequences(connection)
    db.session.flush()
    return counts


def _check_tables_known(entries: list[dict], tables: dict[str, sa.Table]) -> None:
    for entry in entries:
        table = tables.get(entry.get("name"))
        if table is None:
            raise BackupError(f"The backup has a table {entry.get('name')!r} that this version of consult does not know.")
        unknown = [name for name in entry["columns"] if name not in table.columns]
        if unknown:
            raise BackupError(f"The backup's table {table.name} has columns this version does not know: {', '.join(unknown)}.")


def _in_dependency_order(entries: list[dict], tables: dict[str, sa.Table]) -> list[dict]:
    order = {name: position for position, name in enumerate(tables)}
    return sorted(entries, key=lambda entry: order[entry["name"]])


def _insert_in_batches(connection: sa.Connection, table: sa.Table, rows: Iterable[dict]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= INSERT_BATCH_SIZE:
            connection.execute(table.insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count


def reset_sequences(connection: sa.Connection) -> None:
    """Move PostgreSQL's serial/identity sequences past the largest id, so that new rows get fresh ids.

    SQLite needs nothing: without AUTOINCREMENT a new rowid is always one more than the largest.
    """
    if connection.dialect.name != "postgresql":
        return
    for table in stored_tables(db.metadata):
        key_columns = list(table.primary_key.columns)
        if len(key_columns) != 1 or not isinstance(key_columns[0].type, sa.Integer) or key_columns[0].autoincrement is False:
            continue
        column = key_columns[0]
        sequence = connection.execute(sa.select(sa.func.pg_get_serial_sequence(table.name, column.name))).scalar()
        if sequence is None:
            continue
        largest = connection.execute(sa.select(sa.func.max(column))).scalar()
        connection.execute(sa.select(sa.func.setval(sequence, largest or 1, largest is not None)))


def table_counts() -> dict[str, int]:
    """Rows in every table of the metadata, in dependency order."""
    return {table.name: db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in stored_tables(db.metadata)}


def schema_revision() -> str | None:
    """The Alembic revision the database is at, or None when it was made without migrations (tests)."""
    connection = db.session.connection()
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


@click.command("export-all")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_all_command(path: Path):
    """Write the whole database (every table) to PATH as JSON."""
    temporary = path.with_name(path.name + ".partial")
    try:
        with temporary.open("w", encoding="utf-8") as stream:
            counts = export_all(stream)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        db.session.rollback()
    # A crash mid-way leaves the previous backup in place, never a truncated file under the real name.
    temporary.replace(path)
    click.echo(f"Exported {sum(counts.values())} rows from {len(counts)} tables to {path}.")


@click.command("import-all")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete every row in the database before importing.")
@with_appcontext
def import_all_command(path: Path, replace: bool):
    """Load a backup made by export-all into an empty database (or replace everything with --replace)."""
    try:
        with path.open(encoding="utf-8") as stream:
            counts = import_all(stream, replace=replace)
    except (BackupError, ValueError, KeyError, TypeError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables from {path}.")


def register_backup_commands(app) -> None:
    """Attach export-all and import-all."""
    app.cli.add_command(export_all_command)
    app.cli.add_command(import_all_command)
