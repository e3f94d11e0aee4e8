"""Demo data of the reports area."""
from consult.demo.foundation import Demo


def seed_reports(demo: Demo) -> None:
    """Add the reports part of the demo."""
