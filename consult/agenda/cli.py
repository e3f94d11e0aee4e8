"""Command-line commands of the agenda area."""
from flask import Flask


def register_agenda_commands(app: Flask) -> None:
    """Attach the agenda commands to the app."""
