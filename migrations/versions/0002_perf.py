"""public page cache counter; full-text index of proposals (SQLite FTS5, PostgreSQL GIN)

Revision ID: perf_01
Revises: 0001
Create Date: 2026-12-01 10:05:00

"""
from alembic import op
import sqlalchemy as sa

from consult.proposals.search import create_search_index, drop_search_index


revision = 'perf_01'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_generation'))
    )
    create_search_index(op.get_bind())
    op.drop_index('ix_proposals_consultation_status', table_name='proposals')
    op.create_index('ix_proposals_listing', 'proposals',
                    ['consultation_id', 'status', 'kind', 'stakeholder_type', 'region', 'number'], unique=False)


def downgrade():
    op.drop_index('ix_proposals_listing', table_name='proposals')
    op.create_index('ix_proposals_consultation_status', 'proposals', ['consultation_id', 'status'], unique=False)
    drop_search_index(op.get_bind())
    op.drop_table('site_generation')
