"""Models: the rules the database keeps whatever the code does."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from surveys.models import Survey
from tests.factories import ChoiceFactory, PageFactory, QuestionFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def test_survey_accepts_responses_only_while_open_and_between_its_dates():
    now = timezone.now()
    survey = SurveyFactory(opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1))
    assert survey.is_accepting_responses(now)
    assert not survey.is_accepting_responses(now - dt.timedelta(days=2))
    assert not survey.is_accepting_responses(now + dt.timedelta(days=1))  # closes at that moment
    survey.status = Survey.Status.CLOSED
    assert not survey.is_accepting_responses(now)
    assert not SurveyFactory(status=Survey.Status.DRAFT).is_accepting_responses(now)
    assert SurveyFactory(opens_at=None, closes_at=None).is_accepting_responses(now)


def test_survey_cannot_close_before_it_opens():
    now = timezone.now()
    with pytest.raises(IntegrityError):
        SurveyFactory(opens_at=now, closes_at=now - dt.timedelta(hours=1))


def test_pages_questions_and_choices_are_ordered_and_unique_by_position():
    survey = SurveyFactory()
    second = PageFactory(survey=survey, position=2)
    first = PageFactory(survey=survey, position=1)
    assert list(survey.pages.all()) == [first, second]
    with pytest.raises(IntegrityError):
        PageFactory(survey=survey, position=1)


def test_choice_values_are_unique_within_a_question():
    question = QuestionFactory()
    ChoiceFactory(question=question, value="yes")
    with pytest.raises(IntegrityError):
        ChoiceFactory(question=question, value="yes")


def test_a_journey_is_submitted_once_per_survey():
    response = ResponseFactory(submission_key="abc")
    ResponseFactory(submission_key="abc")  # another survey: fine
    with pytest.raises(IntegrityError):
        ResponseFactory(survey=response.survey, submission_key="abc")
