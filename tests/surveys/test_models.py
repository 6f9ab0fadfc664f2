"""Models: the rules the database keeps whatever the code does."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from surveys.models import Answer, EqualityProfile, Response, Survey
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


@pytest.mark.parametrize("model", [Response, Answer, EqualityProfile])
def test_what_sending_writes_has_no_index_another_begins_with_and_every_foreign_key_an_index(model):
    """Every index of these tables is written for each response sent: one whose columns begin another
    index costs that write and serves no look-up the other does not (docs/decisions/0041). Every foreign
    key's column still begins an index, so that reading a survey's responses, or asking whether a
    question, choice or survey has answers before deleting it, searches one."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = [tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"] or c["primary_key"]]
    covered = [
        (index, longer)
        for index in indexes
        for longer in indexes
        if len(index) < len(longer) and longer[: len(index)] == index
    ]
    assert covered == []
    foreign_keys = [f.column for f in model._meta.concrete_fields if f.is_relation]
    assert foreign_keys and [c for c in foreign_keys if not any(index[0] == c for index in indexes)] == []
