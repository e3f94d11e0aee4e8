"""Demo data of the agenda area."""
from consult.demo.foundation import Demo


def seed_agenda(demo: Demo) -> None:
    """Add the agenda part of the demo."""
