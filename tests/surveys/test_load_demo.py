"""`manage.py load_demo`: the demo consultation and officer, safe to run again."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from access.policy import Action, allowed
from representativeness.reports.builder import report_build
from surveys.demo import DEMO_SLUG, demo_consultation_create
from surveys.models import Page, Question, Response, Survey
from surveys.readiness import survey_problems_list
from tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def test_load_demo_twice_gives_one_survey_census_responses_and_the_demo_accounts():
    out = io.StringIO()
    call_command("load_demo", "--password", "correct-horse-battery", "--responses", "300", stdout=out)
    call_command("load_demo", "--password", "correct-horse-battery", "--responses", "300", stdout=out)
    survey = Survey.objects.get(slug=DEMO_SLUG)
    assert Response.objects.filter(survey=survey).count() == 300
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"admin", "officer", "planning", "analyst", "viewer"}
    officer, analyst, viewer = users["officer"], users["analyst"], users["viewer"]
    assert all(u.check_password("correct-horse-battery") and u.is_staff for u in users.values())
    assert survey.team.name == "Parks" and officer.membership.team == survey.team
    assert allowed(officer, Action.SURVEY_EDIT, survey) and not allowed(officer, Action.EQUALITY_DATA_VIEW, survey)
    assert allowed(analyst, Action.EQUALITY_DATA_VIEW, survey) and not allowed(analyst, Action.SURVEY_EDIT, survey)
    assert allowed(viewer, Action.REPORT_VIEW, survey) and not allowed(viewer, Action.DOWNLOAD, survey)
    assert not allowed(users["planning"], Action.SURVEY_VIEW, survey)
    # The Planning team has its own open consultation, with About you questions and synthetic responses.
    planning = Survey.objects.get(slug="altrincham-town-centre")
    assert (planning.team.name, planning.is_accepting_responses()) == ("Planning", True)
    assert Response.objects.filter(survey=planning).count() == 80  # 300 * 4 / 15
    assert Question.objects.filter(page__survey=planning).exclude(equality_key="").count() >= 10
    # The hub has something in each list: a closed consultation whose outcome is published.
    closed = Survey.objects.get(slug="bin-collection-days")
    assert closed.status == Survey.Status.CLOSED and closed.outcome.published_at is not None
    assert Response.objects.filter(survey=closed).count() == 300
    assert survey_problems_list(survey=planning) == []
    assert allowed(users["planning"], Action.SURVEY_EDIT, planning) and not allowed(
        officer, Action.SURVEY_VIEW, planning
    )
    assert allowed(users["admin"], Action.SURVEY_EDIT, survey) and allowed(users["admin"], Action.STAFF_MANAGE)
    assert {g.name for g in users["admin"].groups.all()} == {"Administrator"}
    assert "password 'correct-horse-battery'" in out.getvalue()
    # The census baselines and the wards are there, so the demo's report works at once.
    area = Question.objects.get(page__survey=survey, equality_key="area")
    assert area.choices.count() == 22  # Trafford's 21 wards and "Prefer not to say"
    report = report_build(survey=survey, area_code="E08000009")
    assert report.respondents == 300
    assert {c.key for c in report.characteristics} >= {"age", "sex", "ethnic_group", "disability", "area"}
    assert "under-represented" in report.headline


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
    assert survey.status == Survey.Status.OPEN
    assert survey_problems_list(survey=survey) == []  # passes the checks publishing makes


def test_demo_replaces_an_earlier_demo_with_its_responses():
    first = demo_consultation_create()
    ResponseFactory(survey=first)
    second = demo_consultation_create()
    assert Survey.objects.filter(slug=DEMO_SLUG).get() == second
    assert Response.objects.count() == 0
