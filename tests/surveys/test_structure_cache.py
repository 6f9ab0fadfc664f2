"""Residents' pages read the survey's structure from memory, and never an out-of-date one for long.

Loading the structure (six queries, a few hundred objects) was most of a survey page's server time
(benchmarks/journey.py). It is kept per process under a version in the shared cache, which any save
or delete of the survey's pages, questions, choices or rows replaces.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import structure_cache
from surveys.models import Choice, Question
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, text

pytestmark = pytest.mark.django_db

STRUCTURE_TABLES = ("surveys_page", "surveys_question", "surveys_choice", "surveys_gridrow")


def structure_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in STRUCTURE_TABLES)]


def test_a_survey_page_does_not_load_the_survey_structure_again(resident):
    resident.answer("1", WEEKLY_VISITOR_PAGES["1"])
    resident.client.get(resident.url("3"))
    assert structure_queries(resident.client, resident.url("3")) == []
    assert resident.answer("3", WEEKLY_VISITOR_PAGES["3"]).status_code == 302


def test_a_change_an_officer_saves_is_shown_on_the_next_page(resident):
    resident.answer("1", WEEKLY_VISITOR_PAGES["1"])
    question = Question.objects.get(page__survey=resident.survey, key="main_park")
    assert "Which park do you visit most?" in text(resident.client.get(resident.url("3")))
    question.text = "Which park do you go to most often?"
    question.save()
    assert "Which park do you go to most often?" in text(resident.client.get(resident.url("3")))
    choice = Choice.objects.filter(question=question).first()
    choice.label = "A renamed park"
    choice.save()
    assert "A renamed park" in text(resident.client.get(resident.url("3")))


def test_a_bulk_change_is_shown_at_once_on_the_check_page_and_within_the_age_limit_elsewhere(resident, monkeypatch):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    resident.client.get(resident.url("5"))
    # A bulk update sends no signal: the cached structure does not know of it.
    Question.objects.filter(page__survey=resident.survey, key="comments").update(text="Anything more to say?")
    assert "Anything more to say?" in text(resident.check_page())  # loaded afresh: what is sent is checked
    monkeypatch.setattr(structure_cache, "MAX_AGE_SECONDS", 0)
    assert "Anything more to say?" in text(resident.client.get(resident.url("5")))
