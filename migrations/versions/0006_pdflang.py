"""pdflang: the language a report job builds its document in

Revision ID: pdflang_02
Revises: locale_02
Create Date: 2026-12-01 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "pdflang_02"
down_revision = "jobs_02"  # re-chained at the merge (was "themes_01")
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), server_default="en", nullable=False))


def downgrade():
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_column("language")
