"""`manage.py load_demo`: the demo consultation and officer, safe to run again."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from surveys.demo import DEMO_SLUG, demo_consultation_create
from surveys.models import Page, Question, Response, Survey
from surveys.services import survey_publish
from tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def test_load_demo_twice_gives_one_survey_and_one_officer_and_prints_credentials():
    out = io.StringIO()
    call_command("load_demo", "--password", "correct-horse-battery", stdout=out)
    call_command("load_demo", "--password", "correct-horse-battery", stdout=out)
    assert Survey.objects.filter(slug=DEMO_SLUG).count() == 1
    officer = get_user_model().objects.get(username="officer")
    assert officer.check_password("correct-horse-battery") and officer.is_staff
    assert officer.has_perm("surveys.view_equality_data")
    assert "username 'officer', password 'correct-horse-battery'" in out.getvalue()


def test_demo_has_every_question_type_routing_and_limits():
    survey = demo_consultation_create()
    questions = Question.objects.filter(page__survey=survey)
    types = set(questions.values_list("type", flat=True))
    assert types >= set(Question.Type.values) - {Question.Type.DATE_OF_BIRTH}
    assert Page.objects.filter(survey=survey, condition_question__isnull=False).count() >= 3
    assert questions.filter(allow_other=True).exists()
    assert questions.filter(max_choices__isnull=False).exists()
    assert questions.filter(type=Question.Type.LONG_TEXT, max_length__isnull=False).exists()
    assert survey.pages.count() >= 3
    survey_publish(survey=survey)  # passes the publishing checks


def test_demo_replaces_an_earlier_demo_with_its_responses():
    first = demo_consultation_create()
    ResponseFactory(survey=first)
    second = demo_consultation_create()
    assert Survey.objects.filter(slug=DEMO_SLUG).get() == second
    assert Response.objects.count() == 0
