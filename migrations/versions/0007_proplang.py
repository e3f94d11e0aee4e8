"""proplang: the language a proposal is written in, detected for the proposals already filed

Revision ID: proplang_02
Revises: jobs_02 (first written on themes_01)
"""
import sqlalchemy as sa
from alembic import op

revision = "proplang_02"
down_revision = "pdflang_02"  # re-chained at the merge (was "themes_01")
branch_labels = None
depends_on = None

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
_BATCH = 1000


def _detect_existing() -> None:
    """Each proposal already filed gets the language its title and summary read as (English when unclear)."""
    from consult.textmodel.languages import detect_language

    bind = op.get_bind()
    proposals = sa.table("proposals", sa.column("id", sa.Integer), sa.column("title", sa.String),
                         sa.column("summary", sa.Text), sa.column("description", sa.Text),
                         sa.column("language", sa.String))
    last_id = 0
    while True:
        rows = bind.execute(sa.select(proposals.c.id, proposals.c.title, proposals.c.summary, proposals.c.description)
                            .where(proposals.c.id > last_id).order_by(proposals.c.id).limit(_BATCH)).all()
        if not rows:
            return
        last_id = rows[-1].id
        changes = []
        for row in rows:
            found = detect_language("\n".join(part or "" for part in (row.title, row.summary, row.description)))
            if found and found != "en":
                changes.append({"row_id": row.id, "found": found})
        if changes:
            bind.execute(proposals.update().where(proposals.c.id == sa.bindparam("row_id"))
                         .values(language=sa.bindparam("found")), changes)


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), server_default="en", nullable=False))
    _detect_existing()
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "language_un", "language IN (" + ", ".join(f"'{code}'" for code in LANGUAGES) + ")")
        batch_op.create_index("ix_proposals_language", ["consultation_id", "status", "language"], unique=False)


def downgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_language")
        batch_op.drop_constraint(op.f("ck_proposals_language_un"), type_="check")
        batch_op.drop_column("language")
