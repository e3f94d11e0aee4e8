"""public page cache: the site_generation counter

Revision ID: perf_01
Revises: 0001
Create Date: 2026-12-01 10:05:00

"""
from alembic import op
import sqlalchemy as sa


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


def downgrade():
    op.drop_table('site_generation')
