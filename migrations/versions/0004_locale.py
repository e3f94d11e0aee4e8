"""locale: the language saved on an account, of an invitation, and the language each queued e-mail was written in

Revision ID: locale_02
Revises: chair_02 (first written on themes_01)
"""
import sqlalchemy as sa
from alembic import op

revision = "locale_02"
down_revision = "chair_02"  # chained after main's chair_02 at the merge of main (was "themes_01")
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), server_default="", nullable=False))
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("locale")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("locale")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locale")
