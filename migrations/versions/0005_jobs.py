"""jobs: the areas' long work (cluster suggestions, the scheduler, reviewer assignment) as tracked queue jobs

Revision ID: jobs_02
Revises: locale_02 (main's head when this branch merged it; first written on themes_01)
"""
import sqlalchemy as sa
from alembic import op

revision = "jobs_02"
down_revision = "locale_02"  # re-chained at the merge of main (was "themes_01")
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "work_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("cluster_suggestions", "agenda_schedule", "review_assignment", name="work_kind",
                                  native_enum=False, create_constraint=True), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("state", sa.Enum("queued", "running", "done", "failed", name="job_state", native_enum=False,
                                   create_constraint=True), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_work_jobs_progress_range")),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"],
                                name=op.f("fk_work_jobs_consultation_id_consultations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_work_jobs_requested_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_jobs")),
    )
    with op.batch_alter_table("work_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_jobs_consultation_id"), ["consultation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("work_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_jobs_consultation_id"))
    op.drop_table("work_jobs")
