"""The selection assistant: an integer program choosing the accepted set (OR-Tools CP-SAT).

Maximise the sum of calibrated scores of the chosen proposals, subject to: exactly min(slots, candidates)
chosen; at most max_type_share of them from one stakeholder type; at least one from every region that has
a candidate (when asked and when there are at least as many slots as regions); at most max_per_organization
from one organization; and, optionally, a minimum and a maximum per kind. Pure: plain data in, plain data out.
"""
from dataclasses import dataclass, field
from math import floor

from flask_babel import gettext as _
from flask_babel import ngettext

SCORE_SCALE = 1000  # CP-SAT works on integers: scores are kept to three decimals


@dataclass(frozen=True)
class Option:
    """A proposal the assistant may choose."""

    id: int
    score: float
    stakeholder_type: str
    region: str
    organization: str
    kind: str


@dataclass(frozen=True)
class Bounds:
    """The chair's bounds on the accepted set."""

    slots: int
    max_type_share: float = 1.0
    every_region: bool = False
    max_per_organization: int | None = None
    kind_bounds: dict = field(default_factory=dict)  # kind -> (min or None, max or None)


@dataclass
class Selection:
    """The chosen ids, or why there is none."""

    ids: list[int]
    is_feasible: bool
    message: str = ""
    objective: float = 0.0


def type_cap(bounds: Bounds, chosen_count: int) -> int:
    """The most proposals one stakeholder type may have among chosen_count."""
    return floor(bounds.max_type_share * chosen_count + 1e-9)


def select_proposals(options: list[Option], bounds: Bounds, *, time_limit: float = 10.0) -> Selection:
    """The best set within the bounds, or an infeasible Selection with a message for the chair."""
    from ortools.sat.python import cp_model

    if bounds.slots < 1:
        return Selection([], False, _("Give at least one slot."))
    count = min(bounds.slots, len(options))
    if count == 0:
        return Selection([], False, _("There is no reviewed proposal to choose from."))
    model = cp_model.CpModel()
    chosen = {option.id: model.new_bool_var(f"x{option.id}") for option in options}
    model.add(sum(chosen.values()) == count)
    cap = type_cap(bounds, count)
    for group in _groups(options, "stakeholder_type").values():
        model.add(sum(chosen[o.id] for o in group) <= cap)
    if bounds.every_region:
        regions = _groups(options, "region")
        if len(regions) <= count:
            for group in regions.values():
                model.add(sum(chosen[o.id] for o in group) >= 1)
    if bounds.max_per_organization is not None:
        for group in _groups(options, "organization").values():
            model.add(sum(chosen[o.id] for o in group) <= bounds.max_per_organization)
    kinds = _groups(options, "kind")
    for kind, (low, high) in bounds.kind_bounds.items():
        group = kinds.get(kind, [])
        if low is not None:
            model.add(sum(chosen[o.id] for o in group) >= low)
        if high is not None:
            model.add(sum(chosen[o.id] for o in group) <= high)
    model.maximize(sum(round(option.score * SCORE_SCALE) * chosen[option.id] for option in options))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Selection([], False, ngettext(
            "No set of %(num)d proposal meets all these bounds. Loosen one: a larger share per stakeholder type, more "
            "sessions per organization, or other limits per kind.",
            "No set of %(num)d proposals meets all these bounds. Loosen one: a larger share per stakeholder type, more "
            "sessions per organization, or other limits per kind.", count))
    ids = [option.id for option in options if solver.value(chosen[option.id])]
    return Selection(ids, True, objective=sum(option.score for option in options if option.id in set(ids)))


def top_n(options: list[Option], slots: int) -> list[int]:
    """The plain top-N by score (ties by id), to compare with the assistant's set."""
    return [option.id for option in sorted(options, key=lambda o: (-o.score, o.id))[:slots]]


def _groups(options: list[Option], attribute: str) -> dict[str, list[Option]]:
    groups: dict[str, list[Option]] = {}
    for option in options:
        groups.setdefault(getattr(option, attribute) or "", []).append(option)
    return groups
