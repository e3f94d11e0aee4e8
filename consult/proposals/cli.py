"""Command-line commands of the proposals area."""
from flask import Flask


def register_proposal_commands(app: Flask) -> None:
    """Attach the proposals commands to the app."""
