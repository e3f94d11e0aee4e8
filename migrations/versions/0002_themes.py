"""themes: proposals to classify with suggested labels; member reasons and nearest suggestion of a suggestion

Revision ID: themes_01
Revises: agenda_01 (main's head when this branch last merged it; first written on 0001)
"""
import sqlalchemy as sa
from alembic import op

revision = "themes_01"
down_revision = "accounts_01"  # re-chained at the merge (was "0001")
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_to_classify", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("suggested_labels", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_proposals_is_to_classify"), ["is_to_classify"], unique=False)
    with op.batch_alter_table("cluster_suggestions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_reasons", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column("nearest", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("cluster_suggestions", schema=None) as batch_op:
        batch_op.drop_column("nearest")
        batch_op.drop_column("member_reasons")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_is_to_classify"))
        batch_op.drop_column("suggested_labels")
        batch_op.drop_column("is_to_classify")
