"""Adding the "About you" section, storing its answers apart, and deleting them on schedule."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.services import Actor
from representativeness.census.choices import AreaLevel
from representativeness.models import Area
from surveys.equality.services import (
    EqualitySectionError,
    equality_answers_purge,
    equality_profile_create,
    equality_section_add,
)
from surveys.models import Answer, Condition, EqualityProfile, Page, Question, Response, Survey

pytestmark = pytest.mark.django_db


def make_survey(slug="parks", **kwargs) -> Survey:
    survey = Survey.objects.create(title="Parks", slug=slug, status=Survey.Status.OPEN, **kwargs)
    page = Page.objects.create(survey=survey, position=1, title="Your views")
    Question.objects.create(page=page, position=1, key="views", text="Your views", type=Question.Type.LONG_TEXT)
    return survey


def make_response(survey: Survey, n: int = 1, submitted_at=None) -> Response:
    return Response.objects.create(
        survey=survey,
        reference=f"REF{survey.slug[:3]}{n:04d}".upper(),
        submission_key=f"key-{n}",
        submitted_at=submitted_at or timezone.now(),
    )


def test_section_is_added_after_the_consultation_pages_with_routing():
    # The council's wards are the census areas loaded inside it (settings.COUNCIL: Trafford).
    trafford = Area.objects.create(code="E08000009", name="Trafford", level=AreaLevel.LOCAL_AUTHORITY)
    Area.objects.create(code="E05000819", name="Altrincham", level=AreaLevel.WARD, parent=trafford)
    Area.objects.create(code="E05008383", name="Abbey Hulton and Townsend", level=AreaLevel.WARD)  # elsewhere
    survey = make_survey()
    pages = equality_section_add(survey=survey)

    assert pages[0].section == Page.Section.EQUALITY_INTRO
    assert pages[0].position == 2
    by_key = {p.questions.get().equality_key: p for p in pages[1:]}
    disability = by_key["disability"]
    assert disability.condition_operator == Condition.EQUALS
    assert disability.condition_question.equality_key == "long_term_condition"
    assert disability.condition_values == ["yes"]
    orientation = by_key["sexual_orientation"]
    assert orientation.condition_operator == Condition.AGE_AT_LEAST_OR_UNKNOWN
    assert orientation.condition_question.equality_key == "date_of_birth"
    assert orientation.condition_values == ["16"]
    assert by_key["ethnic_group"].condition_question is None
    area = by_key["area"].questions.get()
    assert list(area.choices.values_list("value", "label")) == [
        ("E05000819", "Altrincham"),
        ("prefer_not_to_say", "Prefer not to say"),
    ]


def test_officer_chooses_questions_and_order_and_re_adding_replaces_the_section():
    survey = make_survey()
    equality_section_add(survey=survey)
    equality_section_add(survey=survey, keys=["ethnic_group", "sex"])
    keys = [p.questions.get().equality_key for p in survey.pages.filter(section=Page.Section.EQUALITY)]
    assert keys == ["ethnic_group", "sex"]
    assert survey.pages.filter(section=Page.Section.EQUALITY_INTRO).count() == 1


def test_a_follow_up_question_cannot_be_added_without_the_question_it_follows():
    survey = make_survey()
    with pytest.raises(EqualitySectionError, match="add that first"):
        equality_section_add(survey=survey, keys=["disability"])
    with pytest.raises(EqualitySectionError, match="Unknown"):
        equality_section_add(survey=survey, keys=["star_sign"])
    assert survey.pages.count() == 1


def test_prefer_not_to_say_skipped_and_not_asked_are_stored_differently():
    survey = make_survey()
    equality_section_add(survey=survey, keys=["date_of_birth", "sex", "ethnic_group", "religion"])
    response = make_response(survey)
    profile = equality_profile_create(
        response=response,
        answers={
            "about_you_date_of_birth": {"date_of_birth": None, "age": None, "prefer_not_to_say": True},
            "about_you_sex": "prefer_not_to_say",
            "about_you_ethnic_group": "",
        },
        section_skipped=False,
    )
    profile.refresh_from_db()
    assert (profile.age, profile.age_status) == (None, "prefer_not_to_say")
    assert profile.sex == "prefer_not_to_say"
    assert profile.ethnic_group == "skipped"
    assert profile.religion is None  # not shown to this resident
    assert profile.library_version


def test_age_is_kept_in_years_and_date_of_birth_is_not_stored():
    survey = make_survey()
    equality_section_add(survey=survey, keys=["date_of_birth"])
    response = make_response(survey, submitted_at=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    profile = equality_profile_create(
        response=response,
        answers={"about_you_date_of_birth": {"date_of_birth": "1990-06-02", "age": None, "prefer_not_to_say": False}},
        section_skipped=False,
    )
    assert (profile.age, profile.age_status) == (35, "answered")
    stored = EqualityProfile.objects.filter(pk=profile.pk).values().get()
    assert "1990" not in repr(stored)


def test_skipping_the_whole_section_is_recorded_and_no_answer_is_kept():
    survey = make_survey()
    equality_section_add(survey=survey, keys=["sex", "ethnic_group"])
    profile = equality_profile_create(
        response=make_response(survey), answers={"about_you_sex": "female"}, section_skipped=True
    )
    assert profile.section_skipped is True
    assert profile.sex is None and profile.ethnic_group is None


def test_an_answer_that_is_not_an_option_is_refused():
    survey = make_survey()
    equality_section_add(survey=survey, keys=["sex"])
    with pytest.raises(ValueError, match="not an option"):
        equality_profile_create(response=make_response(survey), answers={"about_you_sex": "x"}, section_skipped=False)


def test_deleting_a_response_deletes_its_equality_answers():
    survey = make_survey()
    equality_section_add(survey=survey, keys=["sex"])
    response = make_response(survey)
    equality_profile_create(response=response, answers={"about_you_sex": "male"}, section_skipped=False)
    response.delete()
    assert EqualityProfile.objects.count() == 0


def test_retention_deletes_only_equality_answers_that_are_due():
    now = timezone.now()
    long_closed = make_survey("old", closes_at=now - dt.timedelta(days=400), opens_at=now - dt.timedelta(days=500))
    recently_closed = make_survey("recent", closes_at=now - dt.timedelta(days=30), opens_at=now - dt.timedelta(days=90))
    never_closes = make_survey("open")
    for i, survey in enumerate([long_closed, long_closed, recently_closed, never_closes]):
        equality_section_add(survey=survey, keys=["sex"])
        response = make_response(survey, n=i)
        Answer.objects.create(
            response=response, question=Question.objects.get(page__survey=survey, key="views"), text="kept"
        )
        equality_profile_create(response=response, answers={"about_you_sex": "female"}, section_skipped=False)

    result = equality_answers_purge(now=now, retention_days=365)

    assert result == {"deleted": 2, "surveys": 1}
    assert set(EqualityProfile.objects.values_list("survey__slug", flat=True)) == {"recent", "open"}
    assert Response.objects.count() == 4  # consultation responses are kept
    assert Answer.objects.count() == 4


def test_retention_command_says_how_many_it_deleted(capsys):
    now = timezone.now()
    survey = make_survey("old", closes_at=now - dt.timedelta(days=40), opens_at=now - dt.timedelta(days=50))
    equality_section_add(survey=survey, keys=["sex"])
    equality_profile_create(response=make_response(survey), answers={"about_you_sex": "male"}, section_skipped=False)

    call_command("purge_equality_answers", "--days", "60")
    assert "Deleted 0 'About you' record(s)" in capsys.readouterr().out
    call_command("purge_equality_answers", "--days", "30")
    assert "Deleted 1 'About you' record(s) from 1 closed survey(s)." in capsys.readouterr().out


def test_why_we_ask_and_how_we_use_are_editable_per_survey():
    survey = make_survey()
    equality_section_add(
        survey=survey, keys=["sex", "religion"], explanations={"religion": ("To plan faith-group meetings.", "")}
    )
    religion = Question.objects.get(page__survey=survey, equality_key="religion")
    assert religion.why_we_ask == "To plan faith-group meetings."
    assert religion.how_we_use.startswith("We count answers together")  # blank keeps the default
    sex = Question.objects.get(page__survey=survey, equality_key="sex")
    assert sex.why_we_ask == "To check that women and men are both heard in this consultation."


def test_closing_a_survey_early_starts_the_retention_clock_now():
    from surveys.services import survey_close

    now = timezone.now()
    survey = make_survey("closed-early", opens_at=now - dt.timedelta(days=10))
    equality_section_add(survey=survey, keys=["sex"])
    equality_profile_create(response=make_response(survey), answers={"about_you_sex": "male"}, section_skipped=False)
    survey_close(survey=survey, actor=Actor(user=None))
    survey.refresh_from_db()
    assert survey.closes_at is not None and survey.closes_at <= timezone.now()
    assert equality_answers_purge(now=timezone.now() + dt.timedelta(days=31), retention_days=30)["deleted"] == 1
