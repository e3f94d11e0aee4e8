"""Command-line commands of the reports area."""
from flask import Flask


def register_report_commands(app: Flask) -> None:
    """Attach the reports commands to the app."""
