"""Demo data of the review area."""
from consult.demo.foundation import Demo


def seed_review(demo: Demo) -> None:
    """Add the review part of the demo."""
