"""agenda: plenary slots, the High-Level Track's room, plenary sessions, replies to comments

Revision ID: agenda_01
Revises: infra_01
"""
from alembic import op
import sqlalchemy as sa


revision = "agenda_01"
down_revision = "infra_01"  # chained after main's infra revision at the merge of main (was "0001")
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plenary_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_plenary_slots_slot_hours_ordered")),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"],
                                name=op.f("fk_plenary_slots_consultation_id_consultations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["day_id"], ["forum_days.id"], name=op.f("fk_plenary_slots_day_id_forum_days"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plenary_slots")),
    )
    with op.batch_alter_table("plenary_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plenary_slots_consultation_id"), ["consultation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plenary_slots_day_id"), ["day_id"], unique=False)
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_high_level_track", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("agenda_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_plenary", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("session_comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("replied_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_session_comments_replied_by_id_users"), "users", ["replied_by_id"],
                                    ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("session_comments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_session_comments_replied_by_id_users"), type_="foreignkey")
        batch_op.drop_column("replied_by_id")
        batch_op.drop_column("replied_at")
        batch_op.drop_column("reply")
    with op.batch_alter_table("agenda_sessions", schema=None) as batch_op:
        batch_op.drop_column("is_plenary")
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_column("is_high_level_track")
    with op.batch_alter_table("plenary_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plenary_slots_day_id"))
        batch_op.drop_index(batch_op.f("ix_plenary_slots_consultation_id"))
    op.drop_table("plenary_slots")
