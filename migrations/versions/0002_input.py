"""proposal number counters

Revision ID: input_01
Revises: agenda_01
Create Date: 2026-12-01 09:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = "input_01"
down_revision = "pages_01"  # re-chained at the merge (was "0001")
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "proposal_number_counters",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"],
                                name=op.f("fk_proposal_number_counters_consultation_id_consultations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_proposal_number_counters")),
    )
    # Existing consultations continue from their highest number.
    op.execute(
        "INSERT INTO proposal_number_counters (consultation_id, last_number) "
        "SELECT consultations.id, COALESCE(MAX(proposals.number), 0) FROM consultations "
        "LEFT JOIN proposals ON proposals.consultation_id = consultations.id GROUP BY consultations.id"
    )
    _strip_bidi_controls()


# Bidi embedding, override and isolate controls, now refused in titles and names: removed from what is stored.
BIDI_CONTROLS = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
LABEL_COLUMNS = {"proposals": ("title", "submitter_name", "organization"), "speakers": ("name", "organization"),
                 "users": ("name", "organization")}


def _strip_bidi_controls():
    for table, columns in LABEL_COLUMNS.items():
        for column in columns:
            expression = column
            for index in range(len(BIDI_CONTROLS)):
                expression = f"REPLACE({expression}, :c{index}, '')"
            op.execute(sa.text(f"UPDATE {table} SET {column} = {expression}").bindparams(
                **{f"c{index}": character for index, character in enumerate(BIDI_CONTROLS)}))


def downgrade():
    op.drop_table("proposal_number_counters")
