"""What withdrawing a proposal does beyond the proposal: the areas above (clusters, the agenda) say it here.

The proposals area cannot look into clusters or sessions (imports run one way), so those areas register a function
that describes, for a proposal, what a withdrawal leaves behind ("it is part of the session ... of the published
draft agenda"). The withdrawal page shows these lines before the stakeholder confirms, and the chair gets them by
e-mail. This is a list of functions fixed when the app starts, not data: every worker registers the same ones.
"""
from collections.abc import Callable

from consult.proposals.models import Proposal

ConsequenceFinder = Callable[[Proposal], list[str]]
_finders: list[ConsequenceFinder] = []


def register_withdrawal_consequences(finder: ConsequenceFinder) -> None:
    """Add a function that lists what withdrawing a proposal would leave behind in another area."""
    if finder not in _finders:
        _finders.append(finder)


def withdrawal_consequences(proposal: Proposal) -> list[str]:
    """What withdrawing proposal now would do to the clusters and sessions it is part of, one sentence each."""
    return [line for finder in _finders for line in finder(proposal)]
