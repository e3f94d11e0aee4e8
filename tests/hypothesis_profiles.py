"""Hypothesis profiles: "ci" (200 examples, derandomized, reproducible) when CI is set, "dev" (25) otherwise.

HYPOTHESIS_PROFILE chooses one explicitly; HYPOTHESIS_EXAMPLES overrides the count (for measuring).
"""
import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                        HealthCheck.data_too_large]}

settings.register_profile("ci", max_examples=200, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("dev", max_examples=25, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)


def examples_per_endpoint() -> int:
    """How many generated inputs each endpoint gets in this run."""
    if os.environ.get("HYPOTHESIS_EXAMPLES"):
        return int(os.environ["HYPOTHESIS_EXAMPLES"])
    return settings.get_profile(active_profile()).max_examples


def active_profile() -> str:
    """The profile this run uses."""
    return os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
