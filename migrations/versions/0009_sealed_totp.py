"""sealed_totp: two-factor secrets are stored sealed (consult.sealing), in a column wide enough for the token

Revision ID: sealed_01
Revises: tallies_02
"""
import sqlalchemy as sa
from alembic import op

from consult.sealing import seal, unseal

revision = "sealed_01"
down_revision = "tallies_02"
branch_labels = None
depends_on = None

USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.alter_column("totp_secret", existing_type=sa.String(64), type_=sa.String(255))
    # Secrets stored before this revision are base32 text; the app's keys seal them (migrations run in the app).
    _rewrite(seal)


def downgrade():
    _rewrite(unseal)
    with op.batch_alter_table("users") as batch:
        batch.alter_column("totp_secret", existing_type=sa.String(255), type_=sa.String(64))


def _rewrite(change) -> None:
    connection = op.get_bind()
    stored = connection.execute(sa.select(USERS.c.id, USERS.c.totp_secret).where(USERS.c.totp_secret.is_not(None)))
    for user_id, secret in stored.all():
        connection.execute(USERS.update().where(USERS.c.id == user_id).values(totp_secret=change(secret)))
