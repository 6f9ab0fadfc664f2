"""A survey residents could not finish never goes live, whoever builds it (surveys/readiness.py)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.services import Actor
from surveys import services
from surveys.models import Choice, Condition, Question, Survey
from surveys.readiness import survey_problems_list
from tests.factories import PageFactory, QuestionFactory, SurveyFactory, question_with_choices

pytestmark = pytest.mark.django_db
T = Question.Type


def codes(survey, **kwargs):
    return [p.code for p in survey_problems_list(survey=survey, **kwargs)]


@pytest.fixture
def draft():
    return SurveyFactory(status=Survey.Status.DRAFT)


def test_the_demo_survey_has_no_problems(demo_survey):
    assert survey_problems_list(survey=demo_survey) == []


def test_a_survey_without_questions(draft):
    problems = survey_problems_list(survey=draft)
    assert [(p.code, p.subject, p.message) for p in problems] == [
        ("no_questions", "survey", "The survey has no questions.")
    ]


def test_a_required_choice_question_with_no_choices_names_the_question_and_the_field(draft):
    page = PageFactory(survey=draft, position=1)
    question = QuestionFactory(page=page, position=1, key="park", text="Which park?", type=T.DROPDOWN, required=True)
    [problem] = survey_problems_list(survey=draft)
    assert problem.code == "no_choices"
    assert (problem.subject, problem.page_id, problem.question_id, problem.field) == (
        "question",
        page.pk,
        question.pk,
        "choices",
    )
    assert problem.message == "Question “Which park?” has no choices to pick from. Add its choices."
    # "Allow other" alone is something to choose, so that survey can be finished.
    Question.objects.filter(pk=question.pk).update(allow_other=True)
    assert codes(draft) == []


def test_grids_need_rows_and_choices(draft):
    QuestionFactory(page=PageFactory(survey=draft, position=1), position=1, key="rate", type=T.GRID)
    assert codes(draft) == ["grid_no_rows", "grid_no_choices"]


def test_duplicate_question_keys(draft):
    QuestionFactory(page=PageFactory(survey=draft, position=1), position=1, key="name", text="First?")
    second = QuestionFactory(page=PageFactory(survey=draft, position=2), position=1, key="name", text="Second?")
    [problem] = survey_problems_list(survey=draft)
    assert (problem.code, problem.question_id, problem.field) == ("duplicate_question_key", second.pk, "key")
    assert "“First?” already uses" in problem.message


def test_routing_on_another_surveys_question(draft):
    elsewhere = question_with_choices(PageFactory(position=1), "colour", T.SINGLE_CHOICE, ["red", "blue"])
    page = PageFactory(
        survey=draft,
        position=1,
        title="Reds",
        condition_question=elsewhere,
        condition_operator=Condition.EQUALS,
        condition_values=["red"],
    )
    QuestionFactory(page=page, position=1)
    [problem] = survey_problems_list(survey=draft)
    assert (problem.code, problem.subject, problem.page_id) == ("condition_other_survey", "page", page.pk)
    assert problem.message.startswith("Page “Reds” depends on a question from another survey")


def test_routing_on_a_later_question_or_itself(draft):
    first = PageFactory(survey=draft, position=1)
    later = question_with_choices(PageFactory(survey=draft, position=2), "later", T.SINGLE_CHOICE, ["a", "b"])
    QuestionFactory(
        page=first,
        position=1,
        key="early",
        condition_question=later,
        condition_operator="equals",
        condition_values=["a"],
    )
    Question.objects.filter(pk=later.pk).update(
        condition_question=later, condition_operator="equals", condition_values=["a"]
    )
    assert codes(draft) == ["condition_not_before", "condition_not_before"]


def test_routing_on_values_the_question_does_not_offer_or_without_values(draft):
    page = PageFactory(survey=draft, position=1)
    colour = question_with_choices(page, "colour", T.SINGLE_CHOICE, ["red", "blue"])
    QuestionFactory(
        page=page,
        position=2,
        key="why",
        condition_question=colour,
        condition_operator="one_of",
        condition_values=["red", "green"],
    )
    QuestionFactory(page=page, position=3, key="how", condition_question=colour, condition_operator="equals")
    QuestionFactory(page=page, position=4, key="orphan", condition_operator="equals", condition_values=["red"])
    problems = survey_problems_list(survey=draft)
    assert [p.code for p in problems] == ["condition_unknown_value", "condition_incomplete", "condition_incomplete"]
    assert "“green”, which is not a choice of “colour”" in problems[0].message


def test_routing_on_free_text_and_age_conditions(draft):
    page = PageFactory(survey=draft, position=1)
    name = QuestionFactory(page=page, position=1, key="name", type=T.SHORT_TEXT)
    QuestionFactory(
        page=page, position=2, key="a", condition_question=name, condition_operator="equals", condition_values=["x"]
    )
    QuestionFactory(
        page=page,
        position=3,
        key="b",
        condition_question=name,
        condition_operator="age_at_least_or_unknown",
        condition_values=["16"],
    )
    assert codes(draft) == ["condition_on_unchoosable", "condition_age_invalid"]


def test_impossible_limits(draft):
    # (An unknown equality key cannot reach the database at all: tests/surveys/test_admin_lockdown.py.)
    page = PageFactory(survey=draft, position=1)
    question_with_choices(page, "pick", T.MULTIPLE_CHOICE, ["a"], max_choices=0)
    QuestionFactory(page=page, position=2, key="text", type=T.SHORT_TEXT, max_length=0)
    QuestionFactory(page=page, position=3, key="n", type=T.NUMBER, min_value=10, max_value=5)
    assert codes(draft) == ["max_choices_zero", "max_length_zero", "number_range_empty"]


def test_dates_about_to_be_set_are_checked(draft):
    QuestionFactory(page=PageFactory(survey=draft, position=1), position=1)
    now = timezone.now()
    assert codes(draft, opens_at=now, closes_at=now - dt.timedelta(days=1)) == ["closes_before_opens"]


def test_publishing_refuses_with_every_problem(draft):
    QuestionFactory(page=PageFactory(survey=draft, position=1), position=1, key="park", type=T.DROPDOWN, required=True)
    with pytest.raises(services.SurveyPublishError) as refused:
        services.survey_publish(survey=draft, actor=Actor(user=None))
    assert [p.code for p in refused.value.problems] == ["no_choices"]
    assert Survey.objects.get(pk=draft.pk).status == Survey.Status.DRAFT


def test_model_validation_refuses_opening_a_survey_with_problems(draft):
    QuestionFactory(page=PageFactory(survey=draft, position=1), position=1, type=T.SINGLE_CHOICE, text="Colour?")
    draft.status = Survey.Status.OPEN
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert "Question “Colour?” has no choices" in str(refused.value.message_dict["status"])


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.gov.uk", "pw")
    client.force_login(user)
    return client


def test_the_admin_cannot_open_a_survey_residents_could_not_finish(admin_client, draft):
    QuestionFactory(page=PageFactory(survey=draft, position=1), position=1, type=T.SINGLE_CHOICE, text="Colour?")
    data = {
        "title": draft.title,
        "slug": draft.slug,
        "status": "open",
        "minimum_age": 16,
        "pages-TOTAL_FORMS": 0,
        "pages-INITIAL_FORMS": 0,
    }
    page = admin_client.post(f"/admin/surveys/survey/{draft.pk}/change/", data)
    assert page.status_code == 200
    assert "Question “Colour?” has no choices" in page.content.decode()
    assert Survey.objects.get(pk=draft.pk).status == Survey.Status.DRAFT


def test_the_admin_cannot_delete_the_last_choice_of_a_question_in_an_open_survey(admin_client, demo_survey):
    question = Question.objects.get(page__survey=demo_survey, key="updates")
    choices = list(question.choices.order_by("position"))
    data = {
        "page": question.page_id,
        "position": question.position,
        "key": question.key,
        "text": question.text,
        "type": question.type,
        "required": "on",
        "dates_allowed": "any",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "grid_rows-TOTAL_FORMS": 0,
        "grid_rows-INITIAL_FORMS": 0,
    }
    for i, choice in enumerate(choices):
        data |= {
            f"choices-{i}-id": choice.pk,
            f"choices-{i}-question": question.pk,
            f"choices-{i}-position": choice.position,
            f"choices-{i}-value": choice.value,
            f"choices-{i}-label": choice.label,
            f"choices-{i}-DELETE": "on",
        }
    response = admin_client.post(f"/admin/surveys/question/{question.pk}/change/", data, follow=True)
    page = response.content.decode()
    assert "Nothing was saved" in page and "has no choices to pick from" in page
    assert Choice.objects.filter(question=question).count() == len(choices)


def test_a_survey_needs_a_closing_date_and_a_privacy_notice(draft):
    question_with_choices(PageFactory(survey=draft, position=1), "often", T.SINGLE_CHOICE, ["weekly"])
    Survey.objects.filter(pk=draft.pk).update(closes_at=None, privacy_notice="  ")
    draft.refresh_from_db()
    problems = survey_problems_list(survey=draft)
    assert [(p.code, p.subject, p.field) for p in problems] == [
        ("no_closing_date", "survey", "closes_at"),
        ("no_privacy_notice", "survey", "privacy_notice"),
    ]
    assert codes(draft, closes_at=timezone.now() + dt.timedelta(days=1)) == ["no_privacy_notice"]
