"""Respondents counted by characteristics are kept and brought up to date as the answers' counts are
(decision 42): the report's counts of each characteristic, the raking's cells and each group's whole count
give, kept, byte for byte what counting every profile again gives, for a whole survey and for its published
snapshot, as responses arrive, the snapshot lags, one is erased and one is deleted straight in the
database. The representativeness report built from them, for both audiences, is the same too. One reading
checks the profiles they were counted from once. (Erasure, deletion and the retention purge forget them with
the answers' counts: test_kept_counts.)
"""

import datetime as dt
import json
import re

import pandas as pd
import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from config.db_router import REPLICA, replica_reads
from representativeness.age_bands import survey_age_bands
from representativeness.disclosure import Audience
from representativeness.disclosure.snapshot import SnapshotUnavailable, published_snapshot
from representativeness.equality_analysis import equality_analysis_build
from representativeness.reports.builder import report_build
from representativeness.reports.serialize import report_as_dict
from surveys.equality.selectors import AGE_BAND, ProfileFilter, equality_cells, equality_counts, equality_profile_count
from surveys.models import EqualityAnswerCellCounts, EqualityAnswerCounts, EqualityProfile, Survey
from tests.representativeness.equality_analysis.test_kept_counts import (
    DELETED,
    ON_POSTGRES,
    TWELVE_MORE,
    add_random,
    each_change,
)
from tests.representativeness.equality_analysis.test_kept_counts import random_survey as random_survey  # noqa: F401

pytestmark = pytest.mark.django_db

TRAFFORD = "E08000009"
GROUPINGS = [("sex",), ("ethnic_group",), ("age", "age_status"), ("long_term_condition", "disability"), (AGE_BAND,)]
RAKING = [AGE_BAND, "sex", "ethnic_group", "long_term_condition", "disability"]


def _counted(where: ProfileFilter, monkeypatch, *, kept: bool, minimum_age: int = 16) -> list[pd.DataFrame]:
    bands = survey_age_bands(minimum_age)
    with monkeypatch.context() as patched:
        if not kept:  # count every profile again, as without kept counts
            patched.setattr(ProfileFilter, "keeps_counts", property(lambda self: False))
        return [
            *equality_counts(where=where, groupings=GROUPINGS, age_bands=bands),
            equality_cells(where=where, columns=RAKING, age_bands=bands),
        ]


def _report(survey: Survey, audience: Audience, monkeypatch, *, kept: bool) -> str:
    with monkeypatch.context() as patched:
        if not kept:
            patched.setattr(ProfileFilter, "keeps_counts", property(lambda self: False))
        data = report_as_dict(report_build(survey=survey, area_code=TRAFFORD, audience=audience))
    data.pop("generated_at")
    return json.dumps(data, indent=2, allow_nan=False)


def assert_same(survey: Survey, monkeypatch) -> None:
    """Kept (twice: bringing up to date, then from the counts now kept) and counted again are identical: every
    frame, row for row in the same order, and the report's JSON for both audiences."""
    try:
        snapshot: int | None = published_snapshot(survey=survey).through_profile_id
    except SnapshotUnavailable:  # a deletion withholds the published figures until the next refresh
        snapshot = None
    wheres = [ProfileFilter(survey.pk)] + ([] if snapshot is None else [ProfileFilter(survey.pk, through_id=snapshot)])
    for where in wheres:
        counted_again = _counted(where, monkeypatch, kept=False)
        for _ in range(2):
            kept = _counted(where, monkeypatch, kept=True)
            assert len(kept) == len(counted_again)
            for mine, theirs in zip(kept, counted_again, strict=True):
                pd.testing.assert_frame_equal(mine, theirs, check_exact=True)
    for audience in (Audience.EXACT, Audience.PROTECTED):
        if audience == Audience.PROTECTED and snapshot is None:
            continue
        counted_again_text = _report(survey, audience, monkeypatch, kept=False)
        assert _report(survey, audience, monkeypatch, kept=True) == counted_again_text, audience
        assert _report(survey, audience, monkeypatch, kept=True) == counted_again_text, audience


def _respondent_entries(survey: Survey) -> list[EqualityAnswerCounts]:
    return [e for e in EqualityAnswerCounts.objects.filter(survey=survey) if e.respondents]


@ON_POSTGRES
def test_respondent_counts_kept_are_what_counting_every_profile_again_gives(
    shipped_census, random_survey, monkeypatch, settings
):
    settings.REPRESENTATIVENESS = {**settings.REPRESENTATIVENESS, "SNAPSHOT_REFRESH_AFTER": 25}
    survey = random_survey
    assert_same(survey, monkeypatch)
    entries = _respondent_entries(survey)
    last = max(EqualityProfile.objects.filter(survey=survey).values_list("id", flat=True))
    assert len(entries) >= 3 and {(e.through_profile_id, e.profiles) for e in entries} == {(last, 400)}
    # Each row a group's values and how many: 400 respondents in every grouping.
    raking = next(e for e in entries if len(e.respondents[0]) == len(RAKING) + 1)
    assert sum(row[-1] for row in raking.respondents) == 400

    for change in each_change(survey):
        assert_same(survey, monkeypatch)
        if change == TWELVE_MORE:  # the whole survey's counts include them, the published snapshot does not
            assert sum(_counted(ProfileFilter(survey.pk), monkeypatch, kept=True)[-1]["respondents"]) == 412
            assert json.loads(_report(survey, Audience.PROTECTED, monkeypatch, kept=True))["respondents"] == 400
        if change == DELETED:
            assert _respondent_entries(survey)
    assert sum(_counted(ProfileFilter(survey.pk), monkeypatch, kept=True)[-1]["respondents"]) == 400 + 12 + 30 - 2


@ON_POSTGRES
@pytest.mark.parametrize("audience", [Audience.PROTECTED, Audience.EXACT])
def test_a_reading_reads_the_survey_s_profiles_once(shipped_census, random_survey, settings, audience):
    """The weighted analysis reads (for the protected audience, of the published snapshot) the raking's cells,
    the report of the snapshot, each group's whole count, the answers' counts and how many responded: from kept
    counts, the profiles they were counted from are read from the first once (one check, which the count of
    respondents shares), and none is counted again."""
    settings.REPRESENTATIVENESS = {**settings.REPRESENTATIVENESS, "SNAPSHOT_REFRESH_AFTER": 25}

    def build() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            equality_analysis_build(survey=random_survey, audience=audience, weighted=True, area_code=TRAFFORD)
        return [q["sql"] for q in queries.captured_queries]

    build()  # counts everything, and keeps it
    statements = build()
    profiles = EqualityProfile._meta.db_table
    # Statements that count profiles from the first (not only those after an id, as the snapshot's new ones).
    from_the_first = [
        sql
        for sql in statements
        if profiles in sql and ("COUNT(" in sql or "GROUP BY" in sql) and not re.search(r'(p\.id|"id") > [1-9]', sql)
    ]
    assert len(from_the_first) == 1 and "hashint8" in from_the_first[0], from_the_first
    assert _respondent_entries(random_survey) and any(e.coordinates for e in EqualityAnswerCounts.objects.all())


@ON_POSTGRES
def test_other_age_bands_keep_counts_of_their_own(random_survey, monkeypatch):
    """Another minimum age (the report command's --minimum-age) bands ages by the same statement with other
    bounds and labels: its counts are kept apart, never read from another's."""
    where = ProfileFilter(random_survey.pk)
    for minimum_age in (16, 18, 16):
        counted_again = _counted(where, monkeypatch, kept=False, minimum_age=minimum_age)
        kept = _counted(where, monkeypatch, kept=True, minimum_age=minimum_age)
        for mine, theirs in zip(kept, counted_again, strict=True):
            pd.testing.assert_frame_equal(mine, theirs, check_exact=True)


@ON_POSTGRES
@pytest.mark.parametrize(
    "narrowed",
    [
        {"channel": "online"},  # every respondent's channel: what is kept for the whole survey would fit
        {"wards": ()},
        {"submitted_from": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)},
    ],
)
def test_a_narrowed_reading_neither_reads_nor_keeps_counts(random_survey, monkeypatch, narrowed):
    """A reading of one channel, wards or dates counts its respondents every time: what is kept is for the
    whole survey and its published snapshot alone (decision 42)."""
    _counted(ProfileFilter(random_survey.pk), monkeypatch, kept=True)  # the whole survey's, kept
    where = ProfileFilter(random_survey.pk, **narrowed)
    with CaptureQueriesContext(connection) as queries:
        kept = _counted(where, monkeypatch, kept=True)
    assert not [q["sql"] for q in queries.captured_queries if EqualityAnswerCounts._meta.db_table in q["sql"]]
    for mine, theirs in zip(kept, _counted(where, monkeypatch, kept=False), strict=True):
        pd.testing.assert_frame_equal(mine, theirs, check_exact=True)


@ON_POSTGRES
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_how_many_responded_is_read_on_the_primary_like_the_kept_counts(random_survey, postgres_replica):
    """The exact analysis's count of respondents goes with its figures, which are kept and brought up to date
    on the primary: a replica behind (here by twelve responses) must not give the last profile it counts to."""
    with transaction.atomic(using=REPLICA), postgres_replica.cursor() as behind:
        behind.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        behind.execute(f"SELECT COUNT(*) FROM {EqualityProfile._meta.db_table}")  # the snapshot is taken
        add_random(random_survey, 12, seed=2)  # committed on the primary, not yet seen by the replica
        with replica_reads():
            assert equality_profile_count(survey_id=random_survey.pk) == 412


def test_no_admin_page_shows_the_profiles_or_their_kept_counts():
    """Counts kept from the profiles are special category data as the profiles are: no admin page (nor
    inline) lists them, for officers or anyone else."""
    shown = set(admin.site._registry)
    shown |= {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    assert not shown & {EqualityProfile, EqualityAnswerCounts, EqualityAnswerCellCounts}
