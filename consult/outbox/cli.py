"""Command-line commands of the outbox."""
import click
from flask import Flask
from flask.cli import with_appcontext

from consult.extensions import db


@click.command("send-outbox")
@click.option("--limit", default=500, show_default=True, help="At most this many messages in one run.")
@with_appcontext
def send_outbox_command(limit):
    """Deliver queued e-mails and retry failed ones (logged only without MAIL_SERVER)."""
    from consult.outbox.delivery import deliver_outstanding

    outcome = deliver_outstanding(limit=limit)
    db.session.commit()
    click.echo(", ".join(f"{count} {state.value}" for state, count in outcome.items() if state.value != "queued"))


def register_outbox_commands(app: Flask) -> None:
    """Attach the outbox commands to the app."""
    app.cli.add_command(send_outbox_command)
