"""generate_responses: reproducible synthetic respondents who do not look like the census."""

import pytest
from django.core.management import CommandError, call_command

from surveys.equality.services import equality_section_add
from surveys.models import Answer, Choice, EqualityProfile, Page, Question, Response, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = Survey.objects.create(title="Parks", slug="parks", status=Survey.Status.OPEN)
    page = Page.objects.create(survey=survey, position=1, title="Views")
    question = Question.objects.create(page=page, position=1, key="priority", text="Priority?", type="single_choice")
    for i, value in enumerate(["play", "paths", "toilets"], start=1):
        Choice.objects.create(question=question, position=i, value=value, label=value.title())
    equality_section_add(
        survey=survey, keys=["date_of_birth", "sex", "ethnic_group", "long_term_condition", "disability"]
    )
    return survey


def test_generates_responses_profiles_and_answers_reproducibly(survey, capsys):
    call_command("generate_responses", "parks", "--count", "600", "--seed", "7")
    assert "Added 600 synthetic responses to parks." in capsys.readouterr().out
    assert Response.objects.filter(survey=survey).count() == 600
    assert EqualityProfile.objects.filter(survey=survey).count() == 600
    assert Answer.objects.filter(question__key="priority").count() == 600
    assert all(r.startswith("SY") for r in Response.objects.values_list("reference", flat=True))
    women = EqualityProfile.objects.filter(sex="female").count()
    assert 0.5 < women / 600 < 0.7  # deliberately more women than the census's 51%
    # The follow-up is only answered after "yes".
    assert not EqualityProfile.objects.exclude(long_term_condition="yes").exclude(disability=None).exists()
    assert EqualityProfile.objects.filter(sex="prefer_not_to_say").exists()
    assert EqualityProfile.objects.filter(sex="skipped").exists()
    assert EqualityProfile.objects.filter(age__lt=16).count() == 0

    first = list(EqualityProfile.objects.order_by("response__reference").values_list("sex", "ethnic_group", "age")[:50])
    Response.objects.all().delete()
    call_command("generate_responses", "parks", "--count", "600", "--seed", "7")
    again = list(EqualityProfile.objects.order_by("response__reference").values_list("sex", "ethnic_group", "age")[:50])
    assert first == again


def test_multiple_choice_answers_are_ticked_only_when_asked_and_leave_the_rest_as_it_was(survey):
    """The benchmarks ask for multiple-choice answers too (each option ticked or not, some respondents
    ticking none); the demo does not, and its responses do not change."""
    from surveys.synthetic import responses_generate

    question = Question.objects.create(
        page=Question.objects.get(key="priority").page, position=2, key="uses", text="Uses?", type="multiple_choice"
    )
    options = [Choice.objects.create(question=question, position=i, value=v, label=v) for i, v in enumerate("abc")]
    responses_generate(survey=survey, count=400, seed=3)
    assert not Answer.objects.filter(question=question).exists()
    without = list(Answer.objects.order_by("response__reference").values_list("response__reference", "choice"))
    profiles = list(EqualityProfile.objects.order_by("response__reference").values_list("sex", "age", "disability"))
    responses = list(Response.objects.order_by("reference").values_list("id", "reference", "channel"))

    Response.objects.all().delete()
    responses_generate(survey=survey, count=400, seed=3, multiple_choice=True)
    ticked = Answer.objects.filter(question=question)
    assert (
        list(
            Answer.objects.exclude(question=question)
            .order_by("response__reference")
            .values_list("response__reference", "choice")
        )
        == without
    )
    assert list(EqualityProfile.objects.order_by("response__reference").values_list("sex", "age", "disability")) == (
        profiles
    )
    assert list(Response.objects.order_by("reference").values_list("id", "reference", "channel")) == (responses)
    per_option = {option.pk: ticked.filter(choice=option).count() for option in options}
    assert all(40 < n < 360 for n in per_option.values())  # each option ticked by some, not all
    answering = ticked.values("response").distinct().count()
    assert 200 < answering < 400  # several options each for many, none for some
    assert ticked.count() > answering
    assert ticked.filter(text="", number=None, date=None).count() == ticked.count()


def test_progress_is_told_after_each_batch_and_changes_nothing(survey, monkeypatch):
    """The benchmark prints how far a long build has got; being told does not change the responses."""
    from surveys import synthetic

    monkeypatch.setattr(synthetic, "BATCH_SIZE", 40)
    added: list[int] = []
    synthetic.responses_generate(survey=survey, count=100, seed=5, progress=added.append)
    assert added == [40, 80, 100]
    told = list(EqualityProfile.objects.order_by("response__reference").values_list("sex", "ethnic_group", "age"))
    Response.objects.all().delete()
    synthetic.responses_generate(survey=survey, count=100, seed=5)
    assert (
        list(EqualityProfile.objects.order_by("response__reference").values_list("sex", "ethnic_group", "age")) == told
    )


def test_the_same_seed_twice_is_refused_without_adding_anything(survey):
    call_command("generate_responses", "parks", "--count", "10", "--seed", "3")
    with pytest.raises(CommandError, match="already"):
        call_command("generate_responses", "parks", "--count", "10", "--seed", "3")
    assert Response.objects.count() == 10


def test_unknown_survey_is_a_clear_error():
    with pytest.raises(CommandError, match="No survey with the slug 'nope'"):
        call_command("generate_responses", "nope", "--count", "10")


def test_the_closed_demo_consultation_has_answers_to_every_question_its_outcome_describes():
    from engagement.hub.demo import closed_consultation_create
    from engagement.outcomes.selectors import closed_question_results
    from tests.factories import TeamFactory

    survey = closed_consultation_create(team=TeamFactory(name="Waste"), responses=200)
    results = {r.key: r for r in closed_question_results(survey=survey)}
    assert results["fortnightly"].answered == 200 and results["day"].answered == 200
