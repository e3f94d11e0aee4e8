"""Declarative base with a constraint naming convention, UTC time helpers and column helpers."""
import enum
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no offset, so values are normalised to UTC before they are written and
    tagged as UTC when read; naive datetimes are refused so that no local time slips in.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    """Base of every model: named constraints and aware UTC datetimes."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def enum_type(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum column type storing the member values, guarded by a named check constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class TimestampMixin:
    """created_at and updated_at, kept by the database layer."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def lock_for_update(session, instance) -> None:
    """Wait until no other transaction is changing instance's row, hold it until the commit, and reload it.

    Two requests for the same row (a double click, two tabs) then run one after the other, and the second sees
    what the first wrote. PostgreSQL locks the row (SELECT ... FOR UPDATE); SQLite has one write lock for the whole
    database, which a write that changes nothing takes (and the busy timeout waits for).
    """
    mapper = sa.inspect(instance).mapper
    table = mapper.local_table
    key = [table.c[column.key] == getattr(instance, mapper.get_property_by_column(column).key)
           for column in mapper.primary_key]
    if session.get_bind(mapper=mapper).dialect.name == "sqlite":
        first = mapper.primary_key[0]
        session.execute(sa.update(table).where(sa.false()).values({first.key: table.c[first.key]}))
    else:
        session.execute(sa.select(*mapper.primary_key).where(*key).with_for_update())
    session.refresh(instance)


def derived_tables(metadata: sa.MetaData) -> list[sa.Table]:
    """Tables the database's triggers fill from other tables (info={"derived": True}): never backed up or copied."""
    return [table for table in metadata.sorted_tables if table.info.get("derived")]


def stored_tables(metadata: sa.MetaData) -> list[sa.Table]:
    """Tables whose rows are the data itself, in dependency order."""
    return [table for table in metadata.sorted_tables if not table.info.get("derived")]
