"""Command-line commands of the review area."""
from flask import Flask


def register_review_commands(app: Flask) -> None:
    """Attach the review commands to the app."""
