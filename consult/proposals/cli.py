"""Command-line commands of the proposals area."""
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from consult.extensions import db


@click.command("import-proposals")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="", help="Provenance for rows without their own source (default: the file name).")
@click.option("--dry-run", is_flag=True, help="Check every row and report, but import nothing.")
@with_appcontext
def import_proposals_command(file: Path, source: str, dry_run: bool):
    """Import submitted proposals from a CSV or XLSX file (columns: docs/import-format.md)."""
    from consult.consultations.queries import get_current_consultation
    from consult.proposals.importing import import_proposals

    consultation = get_current_consultation()
    if consultation is None:
        raise click.ClickException("There is no consultation to import into.")
    result = import_proposals(consultation, filename=file.name, data=file.read_bytes(),
                              source=source or f"Import: {file.name}", dry_run=dry_run)
    if result.errors:
        db.session.rollback()
        for error in result.errors:
            click.echo(f"line {error.line}: {error.message}", err=True)
        raise click.ClickException(f"{len(result.errors)} bad row(s): nothing was imported.")
    if dry_run:
        db.session.rollback()
        click.echo(f"{len(result.rows)} rows are valid (dry run: nothing imported).")
        return
    db.session.commit()
    click.echo(f"Imported {len(result.rows)} proposals (batch {result.batch.id}).")


def register_proposal_commands(app: Flask) -> None:
    """Attach the proposals commands to the app."""
    app.cli.add_command(import_proposals_command)
