"""A change of leading answer is claimed only where the intervals, as shown, are apart (issue 11 trial)."""

import pandas as pd

from representativeness.stats.weighted_results import WeightedResults, _leader_change, leader_change_as_shown


def results(no_low: float, yes_high: float) -> WeightedResults:
    """Yes leads as answered (60%, 55% to 65%, against No's 40%, 35% to 45%); weighted, No leads."""
    table = pd.DataFrame(
        {
            "respondents": [120, 80],
            "unweighted_share": [0.60, 0.40],
            "unweighted_low": [0.55, 0.35],
            "unweighted_high": [0.65, 0.45],
            "weighted_share": [0.4695, 0.5305],
            "weighted_low": [0.439, no_low],
            "weighted_high": [yes_high, 0.561],
        },
        index=pd.Index(["Yes", "No"], name="answer"),
    )
    changes, notes = _leader_change(table, ("Yes",), ("No",))
    return WeightedResults(
        table=table,
        n=200,
        effective_n=150.0,
        design_effect=1.3,
        no_answer=0,
        leader_unweighted=("Yes",),
        leader_weighted=("No",),
        leader_changes=changes,
        notes=notes,
    )


def test_intervals_that_touch_as_shown_are_no_change_of_leader():
    """The trial's figures: Yes 43.9% to 50.0%, No 50.0% to 56.1% (0.499986 and 0.500014): apart by 0.003
    points, which no reader can see."""
    touching = results(no_low=0.500014, yes_high=0.499986)
    assert touching.leader_changes  # to the last digit they are apart...
    shown = leader_change_as_shown(touching, 1)
    assert not shown.leader_changes  # ...but not as the page shows them
    assert shown.notes == [
        "Weighted, No is ahead of Yes, but within the uncertainty of the figures: neither clearly leads."
    ]
    assert not leader_change_as_shown(touching, 0).leader_changes


def test_intervals_apart_as_shown_are_a_change_of_leader():
    apart = results(no_low=0.5021, yes_high=0.4996)  # 50.2% against 50.0% to one place; 50% both to none
    shown = leader_change_as_shown(apart, 1)
    assert shown.leader_changes and shown.notes == ["Weighting changes the leading answer from Yes to No."]
    assert not leader_change_as_shown(apart, 0).leader_changes  # whole percentages: 50% and 50% touch
    clear = leader_change_as_shown(results(no_low=0.512, yes_high=0.4949), 0)  # 51% against 49%
    assert clear.leader_changes
