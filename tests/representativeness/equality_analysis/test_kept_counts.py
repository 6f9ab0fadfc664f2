"""The equality analysis from kept counts (decision 32) gives byte for byte what counting every answer again
gives: on a random survey (agreement scale, single choice, multiple choice, grid; sex, age, disability,
ethnic group, religion), for the exact and the protected audience (its published snapshot), after more
responses arrive, after an erasure and after a deletion nothing told the counts about. Erasure, deletion
and the retention purge delete the kept counts with the answers. Read by a report whose reads go to a
replica, the counts are still kept, and brought up to date, from the primary.
"""

import datetime as dt
import json
import random
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.utils import timezone

from audit.services import Actor
from config.db_router import REPLICA, replica_reads
from engagement.data_requests.services import response_erase
from engagement.responses.services import response_delete
from representativeness.disclosure import Audience
from representativeness.disclosure.snapshot import SnapshotUnavailable
from representativeness.equality_analysis import equality_analysis_build
from representativeness.equality_analysis.serialize import analysis_as_dict
from surveys.equality.selectors import ProfileFilter, answer_cells_by_groupings
from surveys.equality.services import equality_answers_purge, equality_section_add
from surveys.models import Answer, EqualityAnswerCounts, EqualityProfile, Question, Response, Survey
from surveys.selectors import DEFAULT_AGREEMENT_CHOICES
from tests.factories import TeamFactory, respondent_unsaved
from tests.representativeness.equality_analysis.conftest import _question

pytestmark = pytest.mark.django_db

ON_POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="counts are kept on PostgreSQL only")
PROFILES = {
    "sex": ["female", "male", "prefer_not_to_say", "skipped"],
    "ethnic_group": ["white_british", "indian", "pakistani", "african", "caribbean", "chinese", "other_white"],
    "religion": ["no_religion", "christian", "muslim", "hindu", "prefer_not_to_say"],
}


@pytest.fixture
def random_survey(db) -> Survey:
    survey = Survey.objects.create(
        title="Random", slug="random", status=Survey.Status.DRAFT, team=TeamFactory(name="Parks"), minimum_age=16
    )
    page = survey.pages.create(position=1, title="Your views")
    proposal = _question(page, "Agree?", Question.Type.AGREEMENT, [label for _, label in DEFAULT_AGREEMENT_CHOICES])
    for choice, (value, _) in zip(proposal.choices.order_by("position"), DEFAULT_AGREEMENT_CHOICES, strict=True):
        choice.value = value
        choice.save(update_fields=["value"])
    _question(page, "How often?", Question.Type.SINGLE_CHOICE, ["Weekly", "Monthly", "Never"])
    _question(page, "Which?", Question.Type.MULTIPLE_CHOICE, ["Paths", "Toilets", "Cafe"])
    _question(page, "Rate", Question.Type.GRID, ["Good", "Fair", "Poor"], rows=["Paths", "Toilets"])
    keys = ["sex", "date_of_birth", "ethnic_group", "long_term_condition", "disability", "religion"]
    equality_section_add(survey=survey, keys=keys)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    add_random(survey, 400, seed=1)
    return survey


def add_random(survey: Survey, count: int, *, seed: int) -> None:
    rng = random.Random(seed)
    questions = list(Question.objects.filter(page__survey=survey, equality_key="").prefetch_related("choices"))
    start = Response.objects.count()
    responses, profiles, answers = [], [], []
    for i in range(start, start + count):
        condition = rng.choice(["yes", "no", "prefer_not_to_say"])
        response, profile = respondent_unsaved(
            survey,
            f"R{i:07d}",
            age=rng.randint(16, 90) if rng.random() < 0.95 else None,
            age_status="answered",
            long_term_condition=condition,
            disability=rng.choice(["a_lot", "a_little", "not_at_all"]) if condition == "yes" else None,
            **{column: rng.choice(values) for column, values in PROFILES.items()},
        )
        responses.append(response)
        profiles.append(profile)
        for question in questions:
            choices = sorted(question.choices.all(), key=lambda c: c.position)
            if rng.random() < 0.1:
                continue  # not answered
            if question.type == Question.Type.MULTIPLE_CHOICE:
                ticked = [c for c in choices if rng.random() < 0.4] or [choices[0]]
                answers += [Answer(response=response, question=question, choice=c) for c in ticked]
            elif question.type == Question.Type.GRID:
                answers += [
                    Answer(response=response, question=question, grid_row=row, choice=rng.choice(choices))
                    for row in question.grid_rows.all()
                ]
            else:
                answers.append(Answer(response=response, question=question, choice=rng.choice(choices)))
    Response.objects.bulk_create(responses)
    EqualityProfile.objects.bulk_create(profiles)
    Answer.objects.bulk_create(answers)


def analysis_text(survey: Survey, audience: Audience, monkeypatch, *, kept: bool) -> str:
    with monkeypatch.context() as patched:
        if not kept:  # count every answer again, as before counts were kept
            patched.setattr(ProfileFilter, "keeps_counts", property(lambda self: False))
        data = analysis_as_dict(equality_analysis_build(survey=survey, audience=audience))
    data.pop("generated_at")
    return json.dumps(data, indent=2, allow_nan=False)


def assert_same(survey: Survey, monkeypatch) -> None:
    for audience in (Audience.EXACT, Audience.PROTECTED):
        try:
            counted_again = analysis_text(survey, audience, monkeypatch, kept=False)
        except SnapshotUnavailable:  # a deletion withholds the published figures until the next refresh
            with pytest.raises(SnapshotUnavailable):
                analysis_text(survey, audience, monkeypatch, kept=True)
            continue
        assert analysis_text(survey, audience, monkeypatch, kept=True) == counted_again, audience
        # And again, from the counts now kept.
        assert analysis_text(survey, audience, monkeypatch, kept=True) == counted_again, audience


def each_change(survey: Survey) -> Iterator[str]:
    """The changes kept counts must follow, one at a time, yielding after each (for the caller to compare
    kept with counted again): twelve more responses (the published snapshot, refreshed after 25, lags behind
    the counts kept), thirty more (it moves on, past them), an erasure (which forgets every kept count of
    the survey) and a deletion straight in the database (which nothing tells them of)."""
    add_random(survey, 12, seed=2)
    yield TWELVE_MORE
    add_random(survey, 30, seed=3)
    yield "thirty more"
    erased = Response.objects.filter(survey=survey).order_by("reference").first()
    response_erase(response=erased, actor=Actor.command())
    assert not EqualityAnswerCounts.objects.filter(survey=survey).exists()
    yield "erased"
    Response.objects.filter(pk=Response.objects.filter(survey=survey).order_by("reference")[5].pk).delete()
    assert EqualityAnswerCounts.objects.filter(survey=survey).exists()
    yield DELETED


TWELVE_MORE, DELETED = "twelve more", "deleted straight in the database"


@ON_POSTGRES
def test_kept_counts_give_the_same_analysis_as_counting_again(random_survey, monkeypatch, settings):
    settings.REPRESENTATIVENESS = {**settings.REPRESENTATIVENESS, "SNAPSHOT_REFRESH_AFTER": 25}
    assert_same(random_survey, monkeypatch)
    (kept,) = [e for e in EqualityAnswerCounts.objects.filter(survey=random_survey) if e.chosen]  # the answers'
    profiles = EqualityProfile.objects.filter(survey=random_survey)
    assert (kept.through_profile_id, kept.profiles) == (max(profiles.values_list("id", flat=True)), 400)
    data = json.loads(analysis_text(random_survey, Audience.EXACT, monkeypatch, kept=True))
    assert data["respondents"] == 400 and data["questions"]

    for change in each_change(random_survey):
        assert_same(random_survey, monkeypatch)
        if change == TWELVE_MORE:  # the exact figures count them, the published snapshot does not yet
            protected = json.loads(analysis_text(random_survey, Audience.PROTECTED, monkeypatch, kept=True))
            assert protected["respondents"] == 400
    exact = json.loads(analysis_text(random_survey, Audience.EXACT, monkeypatch, kept=True))
    assert exact["respondents"] == 400 + 12 + 30 - 2


def test_deletion_and_the_retention_purge_delete_the_kept_counts(random_survey):
    def keep() -> None:
        kept = {"chosen": [[1, 2]], "respondents": [["female", 3]]}  # answers and respondents counted
        EqualityAnswerCounts.objects.update_or_create(survey=random_survey, key="k", defaults=kept)

    keep()
    response_delete(response=Response.objects.filter(survey=random_survey).first(), actor=Actor.command())
    assert not EqualityAnswerCounts.objects.filter(survey=random_survey).exists()
    keep()
    Survey.objects.filter(pk=random_survey.pk).update(closes_at=timezone.now() - dt.timedelta(days=400))
    assert equality_answers_purge(retention_days=365)["surveys"] == 1
    assert not EqualityAnswerCounts.objects.filter(survey=random_survey).exists()
    assert not EqualityProfile.objects.filter(survey=random_survey).exists()


@ON_POSTGRES
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_counts_kept_are_brought_up_to_date_from_the_primary_when_reports_read_a_replica(
    random_survey, postgres_replica, monkeypatch
):
    """The replica is a moment behind: here its connection holds a snapshot taken before twelve more
    responses were committed. Counts are kept, checked and written on the primary, so the one profile id
    they are brought up to must come from there too, not from the replica through the router."""
    where = ProfileFilter(survey_id=random_survey.pk)

    def cells() -> list[list[str]]:
        """The counts of each grouping, as sorted rows (in the database's order when counted again)."""
        counted = answer_cells_by_groupings(where=where, groupings=[["sex"], ["religion"]])
        frames = [frame.astype(object).where(frame.notna(), None) for pair in counted for frame in pair]
        return [sorted(map(repr, frame.to_numpy().tolist())) for frame in frames]

    cells()  # the counts kept, through the 400 profiles there are
    with transaction.atomic(using=REPLICA), postgres_replica.cursor() as behind:
        behind.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        behind.execute(f"SELECT COUNT(*) FROM {EqualityProfile._meta.db_table}")  # the snapshot is taken
        add_random(random_survey, 12, seed=2)  # committed on the primary, not yet seen by the replica
        with replica_reads():
            kept = cells()
    with monkeypatch.context() as patched:
        patched.setattr(ProfileFilter, "keeps_counts", property(lambda self: False))
        counted_again = cells()
    assert kept == counted_again
    (entry,) = EqualityAnswerCounts.objects.filter(survey=random_survey)
    assert (entry.profiles, entry.through_profile_id) == (
        412,
        max(EqualityProfile.objects.values_list("id", flat=True)),
    )
