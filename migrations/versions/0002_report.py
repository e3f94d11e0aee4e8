"""Reports: the chair's settings of the published documents, organisers' logos, the executive brief kind.

Revision ID: report_01
Revises: agenda_01
"""
import sqlalchemy as sa
from alembic import op

revision = "report_01"
down_revision = "agenda_01"  # chained after main's head (agenda_01) at the merge of main (was "0001")
branch_labels = None
depends_on = None

OLD_KINDS = ("agenda", "outcomes")
NEW_KINDS = ("agenda", "outcomes", "brief")


def _set_report_kinds(kinds: tuple[str, ...]) -> None:
    """Widen or narrow the check constraint of report_jobs.kind (a non-native enum); SQLite copies the table."""
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_report_jobs_report_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_report_jobs_report_kind"), sa.column("kind").in_(kinds))


def upgrade():
    op.create_table(
        "report_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("document_symbol", sa.String(length=80), nullable=False),
        sa.Column("status", sa.Enum("draft", "final", name="document_status", native_enum=False,
                                    create_constraint=True), nullable=False),
        sa.Column("declined_in_annex", sa.Enum("without_names", "omitted", name="declined_in_annex",
                                               native_enum=False, create_constraint=True), nullable=False),
        sa.Column("is_naming_submitters", sa.Boolean(), nullable=False),
        sa.Column("is_listing_withdrawn", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"],
                                name=op.f("fk_report_settings_consultation_id_consultations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_settings")),
        sa.UniqueConstraint("consultation_id", name=op.f("uq_report_settings_consultation_id")),
    )
    op.create_table(
        "report_logos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("organiser", sa.String(length=120), nullable=False),
        sa.Column("mime_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mime_type IN ('image/png', 'image/svg+xml')", name=op.f("ck_report_logos_logo_mime_type")),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"],
                                name=op.f("fk_report_logos_consultation_id_consultations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_logos")),
    )
    with op.batch_alter_table("report_logos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_logos_consultation_id"), ["consultation_id"], unique=False)
    _set_report_kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM report_jobs WHERE kind = 'brief'")
    _set_report_kinds(OLD_KINDS)
    with op.batch_alter_table("report_logos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_logos_consultation_id"))
    op.drop_table("report_logos")
    op.drop_table("report_settings")
