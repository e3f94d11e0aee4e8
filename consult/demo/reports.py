"""Demo data of the reports area: nothing is built at seed time.

The demo chair builds both PDFs at once from Chair > Reports and exports ("Build the agenda and the outcomes
report"); the builds run in the background and read whatever the earlier demo steps made.
"""
from consult.demo.foundation import Demo


def seed_reports(demo: Demo) -> None:
    """Record where the demo's reports page is; rendering PDFs at seed time would slow every demo start."""
    demo.extra["reports_page"] = "/reports/"
