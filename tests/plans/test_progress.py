"""Progress week by week, against hand-computed counts, and as the protected audience sees it."""

import datetime as dt

import pytest

from plans.progress import Week, weekly_series
from plans.protection import protect_share_of, protect_weeks
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


def test_the_exact_audience_sees_every_week():
    weeks = weekly_series([day(0)] * 3 + [day(8)] * 12, first_day=MONDAY, last_day=day(8))
    shown, total = protect_weeks(weeks, protection=EXACT)
    assert [(w.count, w.cumulative) for w in shown] == [(3, 3), (12, 15)]
    assert total == 15


def test_small_weeks_are_hidden_with_a_complement_and_no_running_total_gives_them_away():
    # 3 then 12 then 20: the 3 is small; hiding it alone would leave it as 35 - 12 - 20, so another week
    # goes too; no running total that differs from a shown one by a hidden week is shown.
    weeks = weekly_series([day(0)] * 3 + [day(8)] * 12 + [day(15)] * 20, first_day=MONDAY, last_day=day(15))
    shown, total = protect_weeks(weeks, protection=PROTECTED)
    counts = [w.count for w in shown]
    assert counts[0] is None
    assert counts.count(None) >= 2
    assert total == 35
    assert shown[0].cumulative is None
    for before, after in zip(shown, shown[1:], strict=False):
        if after.count is None:  # a hidden week is never the difference of two shown running totals
            assert before.cumulative is None or after.cumulative is None


def test_a_small_total_hides_every_week():
    weeks = weekly_series([day(0)] * 2 + [day(8)] * 3, first_day=MONDAY, last_day=day(8))
    shown, total = protect_weeks(weeks, protection=PROTECTED)
    assert total is None
    assert all(w.count is None and w.cumulative is None for w in shown)


def test_an_activitys_responses_from_a_group_are_hidden_when_they_or_the_rest_are_small():
    assert protect_share_of(40, 25, protection=PROTECTED) == 25
    assert protect_share_of(40, 4, protection=PROTECTED) is None
    assert protect_share_of(40, 36, protection=PROTECTED) is None  # the other 4 would be known
    assert protect_share_of(40, 4, protection=EXACT) == 4
