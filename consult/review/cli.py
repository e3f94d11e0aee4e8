"""Command-line commands of the review area."""
from flask import Flask

from consult.review.clustering_cli import register_clustering_commands


def register_review_commands(app: Flask) -> None:
    """Attach the review commands to the app."""
    register_clustering_commands(app)
