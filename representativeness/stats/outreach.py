"""How many more responses from a group would bring its representation ratio up to a target.

If x more responses come from group c (and nobody else), its share becomes (n_c + x) / (n + x). Setting
that equal to t * p_c and solving gives

    x = (t * p_c * n - n_c) / (1 - t * p_c)

rounded up to a whole response. It is 0 when the group is already at or above the target, and has no
answer when t * p_c >= 1 (even if every new response came from the group its share could not reach
t * p_c unless it already had). Pure functions: no Django here.
"""

from __future__ import annotations

import math

import pandas as pd

# x often lands on a whole number (e.g. 22) but floating point gives 22.000000000004; without this slack
# the ceiling would ask the council for one response more than needed.
_ROUNDING_SLACK = 1e-9


def outreach_needed(respondents: int, answered: int, census_share: float, target: float = 1.0) -> int | None:
    """Extra responses from the group needed for its representation ratio to reach `target`.

    `respondents` is n_c, `answered` is n (everyone who answered the question), `census_share` is p_c.
    Returns None when the figure has no meaning: nobody has answered yet (there is no ratio to raise),
    the census share is zero (RR undefined), or t * p_c >= 1 while the group is below target.
    """
    if respondents < 0 or answered < 0 or respondents > answered:
        raise ValueError("need 0 <= respondents <= answered")
    if not 0 <= census_share <= 1:
        raise ValueError("census_share must be a proportion between 0 and 1")
    if not (target > 0 and math.isfinite(target)):
        raise ValueError("target must be a positive number")
    if answered == 0 or census_share == 0:
        return None
    goal_share = target * census_share
    # Compare shares, not ratios, so a group exactly on target (share == t * p_c) needs 0.
    if respondents / answered >= goal_share - _ROUNDING_SLACK * goal_share:
        return 0
    if goal_share >= 1:
        return None
    extra = (goal_share * answered - respondents) / (1 - goal_share)
    return max(0, math.ceil(extra - _ROUNDING_SLACK * max(1.0, extra)))


def outreach_series(respondents: pd.Series, census_share: pd.Series, answered: int, target: float = 1.0) -> pd.Series:
    """`outreach_needed` for every category of a characteristic, as a nullable integer Series.

    Missing values (pd.NA) are the None cases of `outreach_needed`.
    """
    values = [
        outreach_needed(int(count), answered, float(share), target)
        for count, share in zip(respondents, census_share.reindex(respondents.index), strict=True)
    ]
    return pd.Series(values, index=respondents.index, name="outreach_needed", dtype="Int64")


def joint_outreach_needed(
    respondents: list[int], answered: int, census_shares: list[float], target: float = 1.0
) -> int | None:
    """Extra responses, from several under-represented groups together, for every one of them to reach
    `target`: each new response raises the total that the others' shares are taken of, so the joint
    figure is more than the group-by-group figures added up.

    With X respondents in the groups, T the sum of their goal shares t * p_c and n answered, every group
    reaches its goal when E = (T n - X) / (1 - T) more come in the groups' own proportions of the goal
    (e_c = t p_c (n + E) - n_c each). None when T >= 1 or nobody has answered.
    """
    if answered <= 0 or not respondents:
        return None
    goals = [target * share for share in census_shares]
    total_goal = sum(goals)
    if total_goal >= 1:
        return None
    extra = (total_goal * answered - sum(respondents)) / (1 - total_goal)
    # A group already past its goal would need a negative number: the formula holds for groups below it.
    if any(goal * (answered + extra) < count for goal, count in zip(goals, respondents, strict=True)):
        return None
    return max(0, math.ceil(extra - _ROUNDING_SLACK * max(1.0, extra)))
