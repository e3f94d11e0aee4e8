"""Throwaway PostgreSQL databases beside the one TEST_DATABASE_URL names (per xdist worker, per migration test)."""
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def throwaway_database(server_url: str, name: str) -> Iterator[str]:
    """Create database `name` on the server of server_url (dropping a leftover first); yield its URL; drop it."""
    base = sa.make_url(server_url)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
