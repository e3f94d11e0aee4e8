"""Command-line commands of the review area."""
import click
from flask import Flask
from flask.cli import with_appcontext

from consult.consultations.queries import get_current_consultation
from consult.errors import DomainError
from consult.extensions import db


def _current():
    consultation = get_current_consultation()
    if consultation is None:
        raise click.ClickException("There is no consultation.")
    return consultation


@click.command("remind-reviewers")
@with_appcontext
def remind_reviewers_command():
    """Queue a reminder e-mail to every reviewer with open assignments in the current consultation."""
    from consult.review.services import remind_reviewers

    count = remind_reviewers(_current())
    db.session.commit()
    click.echo(f"{count} reminders queued.")


@click.command("assign-reviewers")
@click.option("--include-chairs", is_flag=True, help="Put the chairs in the pool of reviewers too.")
@with_appcontext
def assign_reviewers_command(include_chairs):
    """Assign k reviewers to every submitted proposal of the current consultation (keeps existing assignments)."""
    from consult.review.assignment import assign_automatically

    try:
        plan = assign_automatically(_current(), include_chairs=include_chairs)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{len(plan.pairs)} assignments made; {len(plan.short)} proposals short of reviewers.")
    for proposal_id, reason in sorted(plan.short.items()):
        click.echo(f"  proposal {proposal_id}: {reason}")


def register_review_commands(app: Flask) -> None:
    """Attach the review commands to the app."""
    app.cli.add_command(remind_reviewers_command)
    app.cli.add_command(assign_reviewers_command)
