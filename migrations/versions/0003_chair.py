"""chair: decisions held until the chair releases them (what the submitter was told); outbox idempotency keys

Revision ID: chair_02
Revises: themes_01
"""
import sqlalchemy as sa
from alembic import op

revision = "chair_02"
down_revision = "themes_01"
branch_labels = None
depends_on = None

DECISIONS = ("pending", "accepted", "declined", "merge")


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_decision", sa.Enum(*DECISIONS, name="announced_decision", native_enum=False,
                                                                    create_constraint=True),
                                      server_default="pending", nullable=False))
        batch_op.add_column(sa.Column("announced_reason_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("announced_note", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_proposals_announced_reason_id_decision_reasons"), "decision_reasons",
                                    ["announced_reason_id"], ["id"], ondelete="SET NULL")
    # Decisions taken before this revision were e-mailed when taken: they count as announced.
    op.execute("UPDATE proposals SET announced_decision = decision, announced_reason_id = decision_reason_id, "
               "announced_note = decision_note, announced_at = decided_at")
    # Positions count from 1, as people count: where a consultation's criteria, reasons or rooms began at 0, all move
    # up by one (the order is kept; a downgrade leaves them so).
    for table in ("criteria", "decision_reasons", "rooms"):
        op.execute(f"UPDATE {table} SET position = position + 1 WHERE consultation_id IN "  # noqa: S608  # nosec B608
                   f"(SELECT consultation_id FROM {table} GROUP BY consultation_id HAVING MIN(position) < 1)")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_outbox_messages_idempotency_key"), ["idempotency_key"])


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_outbox_messages_idempotency_key"), type_="unique")
        batch_op.drop_column("idempotency_key")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_proposals_announced_reason_id_decision_reasons"), type_="foreignkey")
        batch_op.drop_constraint(op.f("ck_proposals_announced_decision"), type_="check")
        batch_op.drop_column("announced_at")
        batch_op.drop_column("announced_note")
        batch_op.drop_column("announced_reason_id")
        batch_op.drop_column("announced_decision")
