"""Command-line commands of the reports area."""
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import force_locale

from consult.i18n import LANGUAGES


def register_report_commands(app: Flask) -> None:
    """Attach the reports commands to the app."""
    app.cli.add_command(report_command)


@click.command("report")
@click.option("--kind", type=click.Choice(["outcomes", "brief", "agenda"]), default="outcomes", show_default=True)
@click.option("--output", "output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Where to write the PDF.")
@click.option("--draft", is_flag=True, help="Agenda only: print the working sessions, not the published version.")
@click.option("--workers", type=int, default=None, help="Processes rendering sections (default: REPORT_WORKERS or one per core).")
@click.option("--language", type=click.Choice(list(LANGUAGES)), default="en", show_default=True,
              help="The language the document is written in.")
@with_appcontext
def report_command(kind, output, draft, workers, language):
    """Build the outcomes report, the executive brief or the agenda PDF of the current consultation, with a progress bar."""
    from consult.consultations.queries import get_current_consultation
    from consult.reports import assembly, outcomes, pdf
    from consult.reports.models import ReportKind

    consultation = get_current_consultation()
    if consultation is None:
        raise click.ClickException("There is no consultation yet.")
    if draft and kind != "agenda":
        raise click.ClickException("--draft applies to the agenda only.")
    with click.progressbar(length=100, label=f"Building the {kind} PDF") as bar:
        shown = [0]

        def progress(done: int, total: int) -> None:
            percent = int(100 * done / total) if total else 100
            if percent > shown[0]:
                bar.update(percent - shown[0])
                shown[0] = percent

        options = pdf.default_options(progress=progress)
        if workers:
            options.workers = workers
        with force_locale(language):
            document = outcomes.render_report(consultation, ReportKind(kind), options, draft_preview=draft)
        progress(1, 1)
    Path(output).write_bytes(document)
    result = options.result
    assembly.shutdown_executors()
    click.echo(f"Wrote {output}: {result.page_count} pages in {result.seconds:.1f} s "
               f"({result.parts_rendered} sections rendered, {result.parts_cached} from the cache).")
