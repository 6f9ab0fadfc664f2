"""Submitting, saving and resuming, publishing: the writes behind the resident journey."""

import datetime as dt
import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from audit.services import Actor
from surveys import services
from surveys.models import Answer, EqualityProfile, Response, SavedJourney, Survey
from surveys.saved_journeys import journey_save
from tests.factories import PageFactory, QuestionFactory, SurveyFactory
from tests.surveys.conftest import WEEKLY_VISITOR

ABOUT_YOU = {
    "about_you_date_of_birth": {"date_of_birth": "1980-01-02", "age": 46, "prefer_not_to_say": False},
    "about_you_ethnic_group": "other_white",
    "about_you_ethnic_group__other": "Polish",
    "about_you_long_term_condition": "prefer_not_to_say",
}


def submit(survey, key="journey-1", answers=None, **kwargs):
    return services.response_submit(
        survey=survey,
        submission_key=key,
        reference=kwargs.pop("reference", services.reference_generate()),
        answers=answers if answers is not None else {**WEEKLY_VISITOR, **ABOUT_YOU},
        **kwargs,
    )


@pytest.mark.django_db
def test_consultation_answers_become_rows_and_about_you_answers_are_kept_apart(demo_survey):
    result = submit(demo_survey)
    assert result.created
    response = result.response
    answers = Answer.objects.filter(response=response).select_related("question", "choice", "grid_row")
    by_key: dict[str, list[Answer]] = {}
    for answer in answers:
        by_key.setdefault(answer.question.key, []).append(answer)

    assert not any(key.startswith("about_you_") for key in by_key), "equality answers never become Answer rows"
    assert by_key["visit_frequency"][0].choice.value == "weekly"
    assert {(a.choice.value if a.choice else None, a.text) for a in by_key["activities"]} == {
        ("walking", ""),
        (None, "Parkrun"),  # "Other" offered without a choice row: kept by its text
    }
    assert {a.grid_row.value: a.choice.value for a in by_key["facilities"]} == {
        "paths": "good",
        "toilets": "poor",
        "play_areas": "dont_know",
        "lighting": "adequate",
    }
    assert by_key["walk_minutes"][0].number == Decimal("10")
    assert by_key["last_visit"][0].date == dt.date(2026, 5, 1)
    assert by_key["comments"][0].text == "More bins, please."
    assert by_key["email"][0].text == "resident@example.com"

    profile = EqualityProfile.objects.get(response=response)
    assert profile.age == 46
    assert profile.ethnic_group == "other_white"
    assert profile.write_ins == {"ethnic_group": "Polish"}
    assert profile.long_term_condition == "prefer_not_to_say"
    assert profile.disability is None  # routed past: not asked
    assert profile.section_skipped is False


@pytest.mark.django_db
def test_a_response_reads_back_as_it_was_sent(demo_survey):
    """The response's row and its About you row hold what was sent, to the microsecond in UTC, read back
    through the ORM (sending writes them in SQL of its own: docs/decisions/0035)."""
    sent_at = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=1))).replace(microsecond=123456)
    result = submit(demo_survey, key="journey-9", reference="KX7P-3QMA", journey_copy="laptop", now=sent_at)
    response = Response.objects.get(pk=result.response.pk)
    assert (response.survey_id, response.reference, response.submission_key, response.journey_copy) == (
        demo_survey.pk,
        "KX7P-3QMA",
        "journey-9",
        "laptop",
    )
    assert response.channel == "online" and response.submitted_at == sent_at
    # The response returned is the row as stored, as if read back (not made before it was written).
    returned = result.response
    assert not returned._state.adding and returned._state.db == "default"
    fields = [f.attname for f in Response._meta.concrete_fields]
    assert [getattr(returned, name) for name in fields] == [getattr(response, name) for name in fields]
    profile = EqualityProfile.objects.get(response=response)
    assert (profile.survey_id, profile.channel, profile.submitted_at) == (demo_survey.pk, "online", sent_at)


@pytest.mark.django_db
def test_skipping_about_you_stores_no_equality_answers(demo_survey):
    response = submit(demo_survey, answers={**WEEKLY_VISITOR, **ABOUT_YOU}, equality_skipped=True).response
    profile = EqualityProfile.objects.get(response=response)
    assert profile.section_skipped is True
    assert profile.age is None and profile.ethnic_group is None


@pytest.mark.django_db
def test_hidden_questions_are_not_stored(demo_survey):
    answers = {"visit_frequency": "never", "barriers": ["too_far"], "plant_trees": "agree", "meadows": "agree"}
    response = submit(demo_survey, answers=answers).response
    assert set(Answer.objects.filter(response=response).values_list("question__key", flat=True)) == {
        "visit_frequency",
        "barriers",
        "plant_trees",
        "meadows",
    }


@pytest.mark.django_db
def test_submitting_the_same_journey_again_returns_the_first_response(demo_survey):
    first = submit(demo_survey, reference="AAAA-BBBB")
    again = submit(demo_survey, reference="CCCC-DDDD")
    assert first.created and not again.created
    assert again.response.pk == first.response.pk and again.response.reference == "AAAA-BBBB"
    assert Response.objects.count() == 1
    assert EqualityProfile.objects.count() == 1


@pytest.mark.django_db
def test_a_taken_reference_is_replaced_not_an_error(demo_survey):
    submit(demo_survey, key="one", reference="AAAA-BBBB")
    second = submit(demo_survey, key="two", reference="AAAA-BBBB")
    assert second.created and second.response.reference != "AAAA-BBBB"


@pytest.mark.django_db
def test_a_response_refused_for_another_reason_is_not_retried_as_a_taken_reference(demo_survey, monkeypatch):
    """Only a taken reference earns a new one: a row the database refuses for any other reason (here a
    missing channel) fails with the database's own error, once, not as "no unused reference" after five."""
    new_references = []
    real = services.reference_generate
    monkeypatch.setattr(services, "reference_generate", lambda: new_references.append(1) or real())
    with pytest.raises(IntegrityError) as refused:
        services.response_submit(
            survey=demo_survey, submission_key="journey-1", reference="AAAA-BBBB", answers=WEEKLY_VISITOR, channel=None
        )
    assert "channel" in str(refused.value)
    assert new_references == []
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_survey_closed_mid_journey_writes_nothing(demo_survey):
    Survey.objects.filter(pk=demo_survey.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(services.SurveyClosedError):
        submit(demo_survey)  # the caller's copy still says "open": the status is read afresh
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert EqualityProfile.objects.count() == 0


@pytest.mark.django_db
def test_survey_past_its_closing_time_writes_nothing(demo_survey):
    with pytest.raises(services.SurveyClosedError):
        submit(demo_survey, now=demo_survey.closes_at + dt.timedelta(seconds=1))
    assert Response.objects.count() == 0


_NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
_MINUTE = dt.timedelta(minutes=1)
# Opening and closing times around _NOW: on it exactly, a moment either side, within and past the grace.
_OPENS = [None, _NOW - 60 * _MINUTE, _NOW, _NOW + _MINUTE]
_CLOSES = [None, _NOW + _MINUTE, _NOW, _NOW - _MINUTE, _NOW - 30 * _MINUTE, _NOW - 31 * _MINUTE]
_STARTED = [None, _NOW - 120 * _MINUTE, _NOW - 30 * _MINUTE, _NOW - 2 * _MINUTE, _NOW]


@pytest.mark.django_db
def test_sending_takes_a_response_exactly_when_the_journey_may_continue(demo_survey, settings):
    """The response's INSERT decides in SQL whether the survey takes it (docs/decisions/0044): the same
    rules as journey_may_continue (open and between its dates, or a journey begun before it closed,
    within the grace period after) and, keyed in, any survey but a draft. Every kind of survey and
    journey, on the boundaries too, against the Python rule."""
    settings.JOURNEY_CLOSING_GRACE_MINUTES = 30
    checked = 0
    for status in Survey.Status:
        for opens_at in _OPENS:
            for closes_at in _CLOSES:
                if opens_at and closes_at and opens_at >= closes_at:
                    continue  # not a survey that can exist: its dates are kept in order
                Survey.objects.filter(pk=demo_survey.pk).update(status=status, opens_at=opens_at, closes_at=closes_at)
                current = Survey.objects.get(pk=demo_survey.pk)
                for started_at in _STARTED:
                    for keyed_in in (False, True):
                        key = f"k{checked}"
                        checked += 1
                        if keyed_in:
                            expected = status != Survey.Status.DRAFT
                        else:
                            expected = services.journey_may_continue(survey=current, started_at=started_at, now=_NOW)
                        try:
                            stored = submit(demo_survey, key=key, started_at=started_at, now=_NOW, keyed_in=keyed_in)
                        except services.SurveyClosedError:
                            stored = None
                        case = (status, opens_at, closes_at, started_at, keyed_in)
                        assert (stored is not None) == expected, case
                        assert Response.objects.filter(submission_key=key).exists() == expected, case
                        if stored is not None:
                            assert stored.created and stored.response.submitted_at == _NOW
    assert checked > 300


@pytest.mark.django_db
def test_a_journey_already_sent_is_told_so_even_once_the_survey_has_closed(demo_survey):
    first = submit(demo_survey, key="sent")
    Survey.objects.filter(pk=demo_survey.pk).update(status=Survey.Status.CLOSED)
    again = submit(demo_survey, key="sent")
    assert not again.created and again.response.pk == first.response.pk
    with pytest.raises(services.SurveyClosedError):
        submit(demo_survey, key="not-sent")


@pytest.mark.django_db
def test_a_changed_structure_writes_nothing_and_says_so(demo_survey):
    structure = services.survey_structure_get(survey=demo_survey)
    Survey.objects.filter(pk=demo_survey.pk).update(structure_version=structure.version + 1)
    with pytest.raises(services.StructureChangedError):
        submit(demo_survey, structure=structure, structure_cached=True)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    # A closed survey is said to be closed first, as before: there is nothing to send again.
    Survey.objects.filter(pk=demo_survey.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(services.SurveyClosedError):
        submit(demo_survey, structure=structure, structure_cached=True)
    # Not given as cached, the structure's version is not checked (the API and keyed-in responses).
    Survey.objects.filter(pk=demo_survey.pk).update(status=Survey.Status.OPEN)
    assert submit(demo_survey, key="uncached", structure=structure).created


@pytest.mark.django_db
def test_a_survey_deleted_meanwhile_writes_nothing(demo_survey):
    gone = Survey(pk=uuid.uuid4(), title="Gone", status=Survey.Status.OPEN)
    structure = services.survey_structure_get(survey=demo_survey)
    with pytest.raises(services.SurveyClosedError):
        submit(gone, structure=structure)
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_part_way_leaves_nothing_half_written(demo_survey, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("equality store unavailable")

    monkeypatch.setattr(services, "equality_profile_values", broken)
    with pytest.raises(RuntimeError):
        submit(demo_survey)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def _in_thread(target, results, errors):
    def run():
        try:
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_journey_make_one_response(demo_survey):
    barrier = threading.Barrier(2)

    def go():
        barrier.wait(timeout=10)
        return submit(demo_survey, key="same-journey")

    results, errors = [], []
    threads = [_in_thread(go, results, errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(r.created for r in results) == [False, True]
    assert len({r.response.pk for r in results}) == 1
    assert Response.objects.filter(submission_key="same-journey").count() == 1
    assert EqualityProfile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_second_submission_arriving_while_the_first_is_still_writing(demo_survey, monkeypatch):
    """The first transaction has inserted its response but not committed when the second starts:
    on PostgreSQL the second's insert waits on the unique index, fails, and reads the first's row;
    on SQLite the second waits for the write lock and then finds the row."""
    second_started = threading.Event()
    real = services.equality_profile_values
    calls = []

    def slow_equality_profile_create(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            second_started.wait(timeout=10)
            time.sleep(0.5)  # let the second submission reach the database and block there
        return real(**kwargs)

    monkeypatch.setattr(services, "equality_profile_values", slow_equality_profile_create)

    def second():
        second_started.set()
        return submit(demo_survey, key="same-journey")

    # Each thread's own result: which finishes first, once the first commits, is the scheduler's choice.
    firsts, seconds, errors = [], [], []
    first_thread = _in_thread(lambda: submit(demo_survey, key="same-journey"), firsts, errors)
    first_thread.start()
    while not calls and first_thread.is_alive():
        time.sleep(0.01)
    second_thread = _in_thread(second, seconds, errors)
    second_thread.start()
    first_thread.join(timeout=30)
    second_thread.join(timeout=30)
    assert errors == []
    assert [r.created for r in firsts + seconds] == [True, False]
    assert firsts[0].response.pk == seconds[0].response.pk
    assert Response.objects.count() == 1
    assert len(calls) == 1


@pytest.mark.django_db
def test_submitting_deletes_the_saved_journey(demo_survey):
    saved = journey_save(survey=demo_survey, data={}, current_step="1", reference="ABCD-EFGH").saved
    submit(demo_survey, saved_journey_id=saved.pk)
    assert not SavedJourney.objects.exists()


# References and publishing ---------------------------------------------------------------------


def test_references_are_short_and_unambiguous():
    refs = {services.reference_generate() for _ in range(200)}
    assert len(refs) == 200
    for ref in refs:
        assert len(ref) == 9 and ref[4] == "-"
        assert not set(ref) & set("01ILO")


@pytest.mark.django_db
def test_publish_checks_the_survey_can_be_answered():
    survey = SurveyFactory(status=Survey.Status.DRAFT)
    with pytest.raises(services.SurveyPublishError, match="no questions"):
        services.survey_publish(survey=survey, actor=Actor(user=None))
    page = PageFactory(survey=survey, position=1)
    later = QuestionFactory(page=PageFactory(survey=survey, position=2), position=1, key="later")
    QuestionFactory(
        page=page,
        position=1,
        key="early",
        condition_question=later,
        condition_operator="equals",
        condition_values=["x"],
    )
    with pytest.raises(services.SurveyPublishError, match="does not come before it"):
        services.survey_publish(survey=survey, actor=Actor(user=None))


@pytest.mark.django_db
def test_publish_opens_and_close_closes(demo_survey):
    Survey.objects.filter(pk=demo_survey.pk).update(status=Survey.Status.DRAFT)
    demo_survey.refresh_from_db()
    services.survey_publish(survey=demo_survey, actor=Actor(user=None))
    assert demo_survey.status == Survey.Status.OPEN
    services.survey_close(survey=demo_survey, actor=Actor(user=None))
    assert not Survey.objects.get(pk=demo_survey.pk).is_accepting_responses()


@pytest.mark.django_db
def test_only_a_draft_is_published_and_only_an_open_survey_closed(demo_survey):
    with pytest.raises(services.SurveyStatusError, match="already been published"):
        services.survey_publish(survey=demo_survey, actor=Actor(user=None))
    services.survey_close(survey=demo_survey, actor=Actor(user=None))
    closed_at = demo_survey.closes_at
    with pytest.raises(services.SurveyStatusError, match="Only an open survey can be closed"):
        services.survey_close(survey=demo_survey, actor=Actor(user=None))
    with pytest.raises(services.SurveyStatusError, match="already been published"):
        services.survey_publish(survey=demo_survey, actor=Actor(user=None))
    assert Survey.objects.get(pk=demo_survey.pk).closes_at == closed_at
