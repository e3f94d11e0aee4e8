"""forms4: drafts withdrawn before withdrawing was refused for them become drafts again

A draft was never seen by anyone but its submitter, so it is deleted rather than withdrawn (consult/proposals/
services.py `ensure_withdrawable`). Before that rule a draft could be withdrawn: it then showed in the chair's list
and CSV with no reference, and could no longer be deleted. A proposal that was never submitted has no number; those
that are withdrawn go back to being drafts, which their submitters can delete or submit. The proposal tallies follow
through their triggers. Nothing is lost by the downgrade's doing nothing: the withdrawal's audit entry stays.

Revision ID: forms4_04
Revises: sealed_01
"""
import sqlalchemy as sa
from alembic import op

revision = "forms4_04"
down_revision = "sealed_01"
branch_labels = None
depends_on = None

PROPOSALS = sa.table("proposals", sa.column("status", sa.String), sa.column("number", sa.Integer),
                     sa.column("withdrawn_at", sa.DateTime), sa.column("withdraw_reason", sa.Text))


def upgrade():
    op.execute(PROPOSALS.update()
               .where(PROPOSALS.c.status == "withdrawn", PROPOSALS.c.number.is_(None))
               .values(status="draft", withdrawn_at=None, withdraw_reason=""))


def downgrade():
    pass  # which drafts were withdrawn once is kept in the audit log, not worth withdrawing them again
