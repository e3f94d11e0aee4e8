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


def downgrade():
    drop_search_index(op.get_bind())
    op.drop_table('site_generation')
