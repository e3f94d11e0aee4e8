"""tallies: counts of proposals kept by triggers; the listing index covers the language; the "to classify" index

On PostgreSQL the searched document is stored in a generated column, and indexed there. Also restores the full-text
index's triggers on SQLite: the batch rebuild of `proposals` in themes_01 dropped them,
so the index stopped following new and edited proposals. Creating them again and rebuilding the index (from the
proposals themselves) repairs every database migrated since.

Revision ID: tallies_02
Revises: proplang_02
"""
import sqlalchemy as sa
from alembic import op

from consult.proposals.search import POSTGRES_DOCUMENT, create_search_index
from consult.proposals.tallies import create_tally_triggers, drop_tally_triggers, recount

revision = "tallies_02"
down_revision = "proplang_02"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # The index on the document's expression gives way to one on the stored document (consult/proposals/search.py).
        op.execute("DROP INDEX IF EXISTS ix_proposals_search")
    create_search_index(op.get_bind())
    op.create_table(
        "proposal_tallies",
        sa.Column("consultation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("consultation_id", "status", "dimension", "value", name=op.f("pk_proposal_tallies")),
    )
    create_tally_triggers(op.get_bind())
    recount(op.get_bind())
    op.drop_index("ix_proposals_listing", table_name="proposals")
    op.create_index("ix_proposals_listing", "proposals",
                    ["consultation_id", "status", "kind", "stakeholder_type", "region", "language", "number"])
    op.drop_index("ix_proposals_is_to_classify", table_name="proposals")
    op.create_index("ix_proposals_to_classify", "proposals", ["consultation_id", "status", "is_to_classify"])


def downgrade():
    op.drop_index("ix_proposals_to_classify", table_name="proposals")
    op.create_index("ix_proposals_is_to_classify", "proposals", ["is_to_classify"])
    op.drop_index("ix_proposals_listing", table_name="proposals")
    op.create_index("ix_proposals_listing", "proposals",
                    ["consultation_id", "status", "kind", "stakeholder_type", "region", "number"])
    drop_tally_triggers(op.get_bind())
    op.drop_table("proposal_tallies")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_proposals_search")
        op.execute("ALTER TABLE proposals DROP COLUMN IF EXISTS search_document")
        op.execute(f"CREATE INDEX ix_proposals_search ON proposals USING gin ({POSTGRES_DOCUMENT})")
