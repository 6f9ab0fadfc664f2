"""Equality answers are counted by the database, per grouping, for one survey and its filters."""

import datetime as dt

import pandas as pd
import pytest
from django.utils import timezone

from surveys.equality.selectors import ProfileFilter, equality_counts
from surveys.models import EqualityProfile, Response, Survey

pytestmark = pytest.mark.django_db


def add_profile(survey, n, channel="online", when=None, **values):
    when = when or timezone.now()
    response = Response.objects.create(
        survey=survey, reference=f"R{survey.slug[:2]}{n:05d}", submission_key=str(n), channel=channel, submitted_at=when
    )
    return EqualityProfile.objects.create(
        response=response, survey=survey, channel=channel, submitted_at=when, library_version="t", **values
    )


def as_dict(frame, *columns):
    """{values: count}, with "not asked" (SQL NULL, NaN in pandas) shown as None."""
    return {
        tuple(None if pd.isna(row[c]) else row[c] for c in columns): row["respondents"] for _, row in frame.iterrows()
    }


def test_counts_each_grouping_in_one_statement_and_keeps_not_asked_apart():
    survey = Survey.objects.create(title="A", slug="a")
    other = Survey.objects.create(title="B", slug="b")
    add_profile(survey, 1, sex="female", ethnic_group="pakistani", long_term_condition="yes", disability="a_lot")
    add_profile(survey, 2, sex="female", ethnic_group="skipped", long_term_condition="no")
    add_profile(survey, 3, sex="male", ethnic_group="prefer_not_to_say")
    add_profile(survey, 4, sex=None)
    add_profile(other, 5, sex="male")

    sex, ethnic, disability = equality_counts(
        where=ProfileFilter(survey.pk),
        groupings=[("sex",), ("ethnic_group",), ("long_term_condition", "disability")],
    )

    assert as_dict(sex, "sex") == {("female",): 2, ("male",): 1, (None,): 1}
    assert as_dict(ethnic, "ethnic_group") == {
        ("pakistani",): 1,
        ("skipped",): 1,
        ("prefer_not_to_say",): 1,
        (None,): 1,
    }
    assert as_dict(disability, "long_term_condition", "disability") == {
        ("yes", "a_lot"): 1,
        ("no", None): 1,
        (None, None): 2,
    }
    assert sex["respondents"].sum() == 4  # every respondent of the survey, and only them


def test_channel_and_date_filters():
    survey = Survey.objects.create(title="A", slug="a")
    start = timezone.now() - dt.timedelta(days=10)
    add_profile(survey, 1, channel="online", when=start, sex="female")
    add_profile(survey, 2, channel="paper", when=start + dt.timedelta(days=5), sex="male")
    add_profile(survey, 3, channel="paper", when=start + dt.timedelta(days=9), sex="male")

    (paper,) = equality_counts(where=ProfileFilter(survey.pk, channel="paper"), groupings=[("sex",)])
    assert as_dict(paper, "sex") == {("male",): 2}
    (early,) = equality_counts(
        where=ProfileFilter(survey.pk, submitted_to=start + dt.timedelta(days=6)), groupings=[("sex",)]
    )
    assert as_dict(early, "sex") == {("female",): 1, ("male",): 1}


def test_only_known_columns_reach_the_sql():
    with pytest.raises(ValueError, match="Not an equality column"):
        equality_counts(where=ProfileFilter("x"), groupings=[("sex; DROP TABLE x",)])


@pytest.mark.django_db(transaction=True)
def test_committed_rows_are_counted_the_same_whichever_way_the_work_is_split():
    """Outside a transaction PostgreSQL counts on two connections at once; the answer must not change."""
    survey = Survey.objects.create(title="A", slug="a")
    for n, (sex, ethnic) in enumerate([("female", "indian"), ("male", "indian"), ("female", None)] * 4):
        add_profile(survey, n, sex=sex, ethnic_group=ethnic, religion="sikh")
    groupings = [("sex",), ("ethnic_group",), ("religion",)]
    split = equality_counts(where=ProfileFilter(survey.pk), groupings=groupings)
    together = [equality_counts(where=ProfileFilter(survey.pk), groupings=[g])[0] for g in groupings]
    for a, b, grouping in zip(split, together, groupings, strict=True):
        assert as_dict(a, *grouping) == as_dict(b, *grouping)
    assert as_dict(split[0], "sex") == {("female",): 8, ("male",): 4}


def test_a_date_window_in_another_time_zone_counts_the_same_responses_as_the_orm():
    import zoneinfo

    survey = Survey.objects.create(title="A", slug="a")
    new_york = zoneinfo.ZoneInfo("America/New_York")
    base = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    for n, hours in enumerate([-5, -3, -1, 3]):
        add_profile(survey, n, when=base + dt.timedelta(hours=hours), sex="female")
    start = base.astimezone(new_york) - dt.timedelta(hours=2)
    end = base.astimezone(new_york) + dt.timedelta(hours=2)
    (counted,) = equality_counts(
        where=ProfileFilter(survey.pk, submitted_from=start, submitted_to=end), groupings=[("sex",)]
    )
    expected = EqualityProfile.objects.filter(survey=survey, submitted_at__gte=start, submitted_at__lt=end).count()
    assert expected == 1 and int(counted["respondents"].sum()) == expected
