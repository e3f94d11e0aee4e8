"""Speakers answer by signed link, the committee's discussion, scoring guides, released feedback

Revision ID: pages_01
Revises: agenda_01
"""
import sqlalchemy as sa
from alembic import op

revision = "pages_01"
down_revision = "report_01"  # re-chained at the merge (was "0001")
branch_labels = None
depends_on = None

SPEAKER_ANSWER = sa.Enum("not_invited", "pending", "confirmed", "declined", name="speaker_answer", native_enum=False,
                         create_constraint=True, length=11)


def upgrade():
    with op.batch_alter_table("speakers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("answer", SPEAKER_ANSWER, nullable=False, server_default="not_invited"))
        batch_op.add_column(sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("speakers", schema=None) as batch_op:
        batch_op.alter_column("email", server_default=None)
        batch_op.alter_column("answer", server_default=None)
    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guide", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.alter_column("guide", server_default=None)
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_feedback_released", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.alter_column("is_feedback_released", server_default=None)
    op.create_table(
        "discussion_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_discussion_comments_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name=op.f("fk_discussion_comments_proposal_id_proposals"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_comments")),
    )
    with op.batch_alter_table("discussion_comments", schema=None) as batch_op:
        batch_op.create_index("ix_discussion_comments_proposal_created", ["proposal_id", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("discussion_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_discussion_comments_proposal_created")
    op.drop_table("discussion_comments")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("is_feedback_released")
    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.drop_column("guide")
    with op.batch_alter_table("speakers", schema=None) as batch_op:
        batch_op.drop_column("answered_at")
        batch_op.drop_column("invited_at")
        batch_op.drop_constraint(op.f("ck_speakers_speaker_answer"), type_="check")
        batch_op.drop_column("answer")
        batch_op.drop_column("email")
