"""Demo data of the proposals area."""
from consult.demo.foundation import Demo


def seed_proposals(demo: Demo) -> None:
    """Add the proposals part of the demo."""
