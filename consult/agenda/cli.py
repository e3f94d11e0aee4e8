"""Command-line commands of the agenda area."""
import click
from flask import Flask
from flask.cli import with_appcontext

from consult.extensions import db


def register_agenda_commands(app: Flask) -> None:
    """Attach the agenda commands to the app."""
    app.cli.add_command(schedule_command)
    app.cli.add_command(send_reminders_command)


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Remind everyone with an open draft 7 days and 1 day before the call closes (idempotent: run it from cron)."""
    from consult.agenda.notifications import send_draft_reminders
    from consult.consultations.queries import list_consultations

    sent = sum(send_draft_reminders(consultation) for consultation in list_consultations())
    db.session.commit()
    click.echo(f"reminders queued: {sent}")


@click.command("schedule")
@click.option("--time-limit", type=float, default=20.0, show_default=True, help="Seconds the solver may search.")
@click.option("--dry-run", is_flag=True, help="Compute and report, but save nothing.")
@with_appcontext
def schedule_command(time_limit, dry_run):
    """Place every unpinned session of the current consultation's agenda (no hard conflict; soft goals minimised)."""
    from consult.agenda.scheduling import UNPLACED_REASONS
    from consult.agenda.services import run_scheduler
    from consult.consultations.queries import get_current_consultation
    from consult.errors import DomainError

    consultation = get_current_consultation()
    if consultation is None:
        raise click.ClickException("There is no consultation.")
    try:
        result = run_scheduler(consultation, actor=None, time_limit=time_limit, dry_run=dry_run)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"placed: {len(result.placements)}")
    click.echo(f"unplaced: {len(result.unplaced)}")
    click.echo(f"same-action-line pairs in parallel: {result.parallel_same_action_line}")
    click.echo(f"high-level sessions without interpretation: {result.high_level_without_interpretation}")
    click.echo(f"soft goals missed: {result.soft_goal_misses}")
    click.echo(f"solver: {result.status}, {result.wall_seconds:.1f} s{' (dry run, nothing saved)' if dry_run else ''}")
    for session_id, reason in sorted(result.unplaced.items()):
        click.echo(f"  session {session_id}: {UNPLACED_REASONS[reason]}")
