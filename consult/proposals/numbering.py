"""Public proposal numbers (P-0042), allocated without collisions while many stakeholders submit at once."""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from consult.extensions import db
from consult.proposals.models import Proposal, ProposalNumberCounter

_counters = ProposalNumberCounter.__table__


def _highest_number(consultation_id: int):
    return sa.func.coalesce(
        sa.select(sa.func.max(Proposal.number)).where(Proposal.consultation_id == consultation_id).scalar_subquery(), 0)


def _create_counter(consultation_id: int) -> None:
    """Insert the consultation's counter row unless another transaction did; it starts at the highest number."""
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(_counters)
    db.session.execute(insert.from_select(
        ["consultation_id", "last_number"], sa.select(sa.literal(consultation_id), _highest_number(consultation_id)),
    ).on_conflict_do_nothing(index_elements=["consultation_id"]))


def allocate_proposal_numbers(consultation_id: int, count: int = 1) -> int:
    """Reserve count consecutive numbers in the consultation and return the first.

    The counter row's UPDATE holds its lock (PostgreSQL) or the write lock (SQLite) until the request commits,
    so concurrent submissions wait for each other here instead of colliding on the unique constraint. The counter
    never falls behind numbers written by other means (a restored backup, a test factory): it starts from the
    highest number stored whenever that is larger.
    """
    highest = _highest_number(consultation_id)
    raise_counter = (
        sa.update(_counters).where(_counters.c.consultation_id == consultation_id)
        .values(last_number=sa.case((highest > _counters.c.last_number, highest), else_=_counters.c.last_number) + count)
        .returning(_counters.c.last_number)
    )
    last = db.session.execute(raise_counter).scalar_one_or_none()
    if last is None:
        _create_counter(consultation_id)
        last = db.session.execute(raise_counter).scalar_one()
    return last - count + 1
