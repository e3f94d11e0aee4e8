"""Command-line commands: `flask --app consult COMMAND`. Each command commits once, or rolls back."""
import getpass

import click
from flask import Flask
from flask.cli import with_appcontext

from consult.accounts.models import Role
from consult.backup import register_backup_commands
from consult.extensions import db


def register_commands(app: Flask) -> None:
    """Attach every area's commands to the app."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(reseal_command)
    register_backup_commands(app)
    from consult.worker import register_worker_commands

    register_worker_commands(app)
    from consult.agenda.cli import register_agenda_commands
    from consult.clustering.cli import register_clustering_commands
    from consult.outbox.cli import register_outbox_commands
    from consult.proposals.cli import register_proposal_commands
    from consult.reports.cli import register_report_commands
    from consult.review.cli import register_review_commands

    for register in (register_outbox_commands, register_proposal_commands, register_review_commands,
                     register_clustering_commands, register_agenda_commands, register_report_commands):
        register(app)


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--organization", prompt=True)
@click.option("--stakeholder-type", default="international_organization", show_default=True)
@click.option("--country", default="CH", show_default=True, help="ISO 3166-1 alpha-2 code")
@click.option("--role", type=click.Choice([role.value for role in Role]), default="stakeholder", show_default=True)
@click.option("--password", envvar="CONSULT_NEW_PASSWORD", help="Read from CONSULT_NEW_PASSWORD or asked for.")
@with_appcontext
def create_user_command(email, name, organization, stakeholder_type, country, role, password):
    """Create an account, for instance the first chair."""
    from consult.accounts.services import register_user
    from consult.errors import DomainError

    if not password:
        password = getpass.getpass("Password: ")
    try:
        user = register_user(name=name, email=email, password=password, organization=organization,
                             stakeholder_type=stakeholder_type, country=country, role=Role(role), is_verified=True)
    except (DomainError, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(getattr(error, "message", str(error))) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("reseal")
@with_appcontext
def reseal_command():
    """Seal the stored two-factor secrets again under the first of DATA_KEYS, so that older keys can be retired."""
    from consult.accounts.two_factor import reseal_two_factor_secrets

    count = reseal_two_factor_secrets()
    db.session.commit()
    click.echo(f"Sealed {count} two-factor secret(s) with the first key.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Fill an empty database with the demo consultation (does nothing if it has one)."""
    from consult.demo import seed_demo

    created = seed_demo()
    db.session.commit()
    click.echo("Demo data created." if created else "The database has data already; nothing seeded.")
