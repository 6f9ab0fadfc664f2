"""Progress week by week, against hand-computed counts, and as the protected audience sees it."""

import datetime as dt

import pytest

from plans.progress import Week, weekly_series
from plans.protection import protect_plan
from plans.selectors import PlanPeople
from representativeness.disclosure import Audience, Protection

MONDAY = dt.date(2027, 1, 4)
EXACT = Protection(audience=Audience.EXACT, threshold=10)
PROTECTED = Protection(audience=Audience.PROTECTED, threshold=10)


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def test_weekly_counts_and_running_totals_by_hand():
    # Days 0, 3, 6 are week 1; 7 and 13 week 2; nothing in week 3; 21 week 4 (the last day shown is day 24).
    days = [day(0), day(3), day(6), day(7), day(13), day(21)]
    series = weekly_series(days, first_day=MONDAY, last_day=day(24))
    assert series == [
        Week(1, day(0), 3, 3),
        Week(2, day(7), 2, 5),
        Week(3, day(14), 0, 5),
        Week(4, day(21), 1, 6),
    ]


def test_days_outside_the_plan_count_in_its_first_and_last_weeks():
    series = weekly_series([day(-3), day(40)], first_day=MONDAY, last_day=day(10))
    assert [(w.count, w.cumulative) for w in series] == [(1, 1), (1, 2)]


def test_a_last_day_before_the_first_is_refused():
    with pytest.raises(ValueError):
        weekly_series([], first_day=MONDAY, last_day=day(-1))


def figures(weeks: list[int], *, protection, others: int = 50, through: tuple[int, int] | None = None):
    """One target group (id 1) with `weeks[i]` members in week i + 1 and `others` other respondents each
    week; `through`: (members, others) who came through activity 7 (taken from week 1's, then week 2's...)."""
    week, members, activity = {}, set(), {}
    for number, count in enumerate(weeks, start=1):
        for i in range(count + others):
            response = f"{number}-{i}"
            week[response] = number
            if i < count:
                members.add(response)
    in_group, outside = through or (0, 0)
    for response in sorted(week, key=lambda r: (week[r], int(r.split("-")[1]))):
        member = response in members
        wanted = in_group if member else outside
        if wanted:
            activity[response] = 7
            in_group, outside = (in_group - 1, outside) if member else (in_group, outside - 1)
    people = PlanPeople(weeks=len(weeks), week=week, activity={r: activity.get(r) for r in week}, members={1: members})
    starts = [MONDAY + dt.timedelta(days=7 * n) for n in range(len(weeks))]
    return protect_plan(
        people,
        characteristics={1: "religion"},
        published={1},
        activities=[7],
        week_starts=starts,
        protection=protection,
    )


def test_the_exact_audience_sees_every_week():
    shown = figures([3, 12], protection=EXACT)
    assert [(w.count, w.cumulative) for w in shown.weeks[1]] == [(3, 3), (12, 15)]
    assert shown.totals[1] == 15


def test_small_weeks_are_hidden_with_a_complement_and_no_running_total_gives_them_away():
    # 3 then 12 then 20: the 3 is small; hiding it alone would leave it as 35 - 12 - 20, so another week
    # goes too; no running total that differs from a shown one by a hidden week is shown.
    shown = figures([3, 12, 20], protection=PROTECTED)
    counts = [w.count for w in shown.weeks[1]]
    assert counts[0] is None
    assert counts.count(None) >= 2
    assert shown.totals[1] == 35
    assert shown.weeks[1][0].cumulative is None
    for before, after in zip(shown.weeks[1], shown.weeks[1][1:], strict=False):
        if after.count is None:  # a hidden week is never the difference of two shown running totals
            assert before.cumulative is None or after.cumulative is None


def test_a_small_total_hides_every_week():
    shown = figures([2, 3], protection=PROTECTED)
    assert shown.totals[1] is None
    assert all(w.count is None and w.cumulative is None for w in shown.weeks[1])


def test_an_activitys_responses_from_a_group_are_hidden_when_they_or_the_rest_are_small():
    assert figures([60, 60], through=(25, 15), protection=PROTECTED).from_group[(7, 1)] == 25
    assert figures([60, 60], through=(4, 36), protection=PROTECTED).from_group[(7, 1)] is None
    # The other 4 through the activity would be known.
    assert figures([60, 60], through=(36, 4), protection=PROTECTED).from_group[(7, 1)] is None
    assert figures([60, 60], through=(4, 36), protection=EXACT).from_group[(7, 1)] == 4
