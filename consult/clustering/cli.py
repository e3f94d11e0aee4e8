"""`flask --app consult cluster`: suggested (or the committee's) clusters of the current consultation as CSV."""
import time

import click
from flask import Flask
from flask.cli import with_appcontext

from consult.clustering.queries import clusters_select
from consult.clustering.suggestions import SCOPES, compute_suggestions, scope_texts
from consult.consultations.queries import get_current_consultation
from consult.extensions import db
from consult.tabular import csv_bytes

CSV_HEADER = ("proposal_id", "title", "cluster_id", "cluster_title")


def register_clustering_commands(app: Flask) -> None:
    """Attach the clustering commands to the app."""
    app.cli.add_command(cluster_command)


def suggested_rows(consultation_id: int, scope: str, k: int | None):
    """(rows, run): one CSV row per proposal of the scope, numbered by suggestion; nothing is stored."""
    proposals = scope_texts(consultation_id, scope)
    run = compute_suggestions(proposals, k=k)
    titles = {proposal.id: proposal.title for proposal in proposals}
    rows = [(proposal_id, titles[proposal_id], number, suggestion.title)
            for number, suggestion in enumerate(run.suggestions, start=1) for proposal_id in suggestion.proposal_ids]
    return sorted(rows), run


def saved_rows(consultation_id: int):
    """One CSV row per proposal in a cluster the committee made."""
    clusters = db.session.execute(clusters_select(consultation_id)).scalars()
    return sorted((member.proposal_id, member.proposal.title, cluster.id, cluster.title)
                  for cluster in clusters for member in cluster.members)


@click.command("cluster")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help="Number of clusters (default: related proposals stay together).")
@click.option("--scope", type=click.Choice(SCOPES), default="accepted", show_default=True,
              help="Accepted (and to-be-merged) proposals, or all submitted ones.")
@click.option("--saved", is_flag=True, help="Export the committee's clusters instead of computing suggestions.")
@click.option("--export", "export_path", type=click.Path(dir_okay=False, writable=True), required=True,
              help="CSV file to write: proposal_id, title, cluster_id, cluster_title.")
@with_appcontext
def cluster_command(k, scope, saved, export_path):
    """Cluster the current consultation's proposals and write the grouping to a CSV file."""
    consultation = get_current_consultation()
    if consultation is None:
        raise click.ClickException("There is no consultation.")
    started = time.perf_counter()
    if saved:
        rows = saved_rows(consultation.id)
        summary = f"{len({row[2] for row in rows})} saved clusters"
    else:
        rows, run = suggested_rows(consultation.id, scope, k)
        leftovers = len(run.suggestions) - run.k
        summary = f"{len(run.suggestions)} suggested clusters ({run.k} groups, {leftovers} proposals alone)"
    with open(export_path, "wb") as handle:
        handle.write(csv_bytes(CSV_HEADER, rows, bom=False))
    db.session.rollback()  # read-only: nothing to commit
    click.echo(f"{len(rows)} proposals in {summary} written to {export_path} in {time.perf_counter() - started:.2f} s.")
