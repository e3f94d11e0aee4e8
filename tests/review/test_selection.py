"""The selection assistant respects every bound, and is optimal, against brute force on small instances."""
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.review.selection import Bounds, Option, select_proposals, top_n, type_cap


def satisfies(ids, options, bounds: Bounds) -> bool:
    chosen = [o for o in options if o.id in set(ids)]
    if len(chosen) != min(bounds.slots, len(options)):
        return False
    cap = type_cap(bounds, len(chosen))
    for attribute, limit in (("stakeholder_type", cap), ("organization", bounds.max_per_organization)):
        if limit is None:
            continue
        values = [getattr(o, attribute) for o in chosen]
        if any(values.count(value) > limit for value in set(values)):
            return False
    regions = {o.region for o in options}
    if bounds.every_region and len(regions) <= len(chosen) and {o.region for o in chosen} != regions:
        return False
    for kind, (low, high) in bounds.kind_bounds.items():
        count = sum(1 for o in chosen if o.kind == kind)
        if (low is not None and count < low) or (high is not None and count > high):
            return False
    return True


@st.composite
def problems(draw):
    count = draw(st.integers(1, 8))
    options = [
        Option(
            id=i,
            score=draw(st.floats(-2, 2, allow_nan=False)).__round__(3),
            stakeholder_type=draw(st.sampled_from("abc")),
            region=draw(st.sampled_from(["africa", "europe", "americas"])),
            organization=draw(st.sampled_from(["o1", "o2", "o3", "o4"])),
            kind=draw(st.sampled_from(["thematic", "format"])),
        )
        for i in range(count)
    ]
    kind_bounds = {}
    if draw(st.booleans()):
        kind_bounds["format"] = (draw(st.one_of(st.none(), st.integers(0, 3))), draw(st.one_of(st.none(), st.integers(0, 4))))
    bounds = Bounds(slots=draw(st.integers(1, 6)), max_type_share=draw(st.sampled_from([0.34, 0.5, 0.67, 1.0])),
                    every_region=draw(st.booleans()), max_per_organization=draw(st.one_of(st.none(), st.integers(1, 3))),
                    kind_bounds=kind_bounds)
    return options, bounds


@settings(max_examples=40, deadline=None)
@given(problems())
def test_selection_respects_every_bound_and_is_optimal(problem):
    options, bounds = problem

    result = select_proposals(options, bounds)

    feasible_sets = [ids for ids in combinations([o.id for o in options], min(bounds.slots, len(options)))
                     if satisfies(ids, options, bounds)]
    assert result.is_feasible == bool(feasible_sets)
    if result.is_feasible:
        assert satisfies(result.ids, options, bounds)
        score = {o.id: round(o.score * 1000) for o in options}
        best = max(sum(score[i] for i in ids) for ids in feasible_sets)
        assert sum(score[i] for i in result.ids) == best
    else:
        assert result.message.startswith("No set of")


def test_selection_differs_from_top_n_when_a_type_dominates():
    options = [Option(1, 2.0, "gov", "europe", "a", "thematic"), Option(2, 1.9, "gov", "europe", "b", "thematic"),
               Option(3, 0.1, "cs", "africa", "c", "thematic")]

    result = select_proposals(options, Bounds(slots=2, max_type_share=0.5, every_region=True))

    assert top_n(options, 2) == [1, 2]
    assert sorted(result.ids) == [1, 3]


def test_infeasible_bounds_give_a_message():
    options = [Option(1, 1.0, "gov", "europe", "a", "thematic"), Option(2, 0.5, "gov", "europe", "a", "thematic")]

    result = select_proposals(options, Bounds(slots=2, max_per_organization=1))

    assert (result.is_feasible, result.ids) == (False, [])
    assert "Loosen one" in result.message
