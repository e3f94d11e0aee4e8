"""Queue jobs and many hosts: import previews in the database; report jobs keep their PDF, attempts and heartbeat

Revision ID: infra_01
Revises: perf_01
Create Date: 2026-12-01 09:47:36.209573

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'infra_01'
down_revision = 'perf_01'  # chained after main's perf revision at the merge of main (was '0001')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_previews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('consumed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_import_previews_batch_id_import_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_import_previews_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_previews_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_previews')),
    sa.UniqueConstraint('token', name=op.f('uq_import_previews_token'))
    )
    with op.batch_alter_table('import_previews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_previews_consultation_id'), ['consultation_id'], unique=False)

    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_draft_preview', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('document', sa.LargeBinary(), nullable=True))



def downgrade():
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_column('document')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('is_draft_preview')

    with op.batch_alter_table('import_previews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_previews_consultation_id'))

    op.drop_table('import_previews')
