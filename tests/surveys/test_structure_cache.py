"""Residents' pages, "Check your answers" and sending read the survey's structure from memory, and never
an out-of-date one.

Loading the structure (six queries, a few hundred objects) was most of a survey page's server time
(benchmarks/journey.py). It is kept per process under the survey's structure version, which any save or
delete of the survey's pages, questions, choices or rows, and the builder's bulk moves, replace; sending
checks the version again as it writes.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagement.builder.services.structure import option_move
from surveys import structure_cache
from surveys.models import Choice, Question, Response, Survey
from surveys.selectors import survey_structure_get
from surveys.wizard import view
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


def test_check_your_answers_and_sending_do_not_load_the_survey_structure_again(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    assert structure_queries(resident.client, resident.url("check-your-answers")) == []
    key = resident.check_page().context["submission_key"]
    with CaptureQueriesContext(connection) as queries:
        assert resident.send(key).status_code == 302
    assert not [q for q in queries.captured_queries if "SELECT" in q["sql"] and "surveys_page" in q["sql"]]
    assert Response.objects.filter(survey=resident.survey).count() == 1


def test_a_change_the_builder_makes_in_bulk_is_shown_at_once(resident):
    resident.answer("1", WEEKLY_VISITOR_PAGES["1"])
    question = Question.objects.get(page__survey=resident.survey, key="visit_frequency")
    first, second = question.choices.order_by("position")[:2]
    resident.client.get(resident.url("1"))
    option_move(option=second, up=True)  # positions swapped with update(): no signal
    page = text(resident.client.get(resident.url("1")))
    assert page.index(second.label) < page.index(first.label)


def test_a_bulk_change_that_names_no_survey_is_shown_within_the_age_limit(resident, monkeypatch):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    resident.client.get(resident.url("5"))
    # A bulk update that does not call survey_structure_changed: the survey's version stays the same.
    Question.objects.filter(page__survey=resident.survey, key="comments").update(text="Anything more to say?")
    monkeypatch.setattr(structure_cache, "MAX_AGE_SECONDS", 0)
    assert "Anything more to say?" in text(resident.client.get(resident.url("5")))
    assert "Anything more to say?" in text(resident.check_page())


def test_saving_a_survey_read_before_a_change_keeps_the_newer_structure_version(demo_survey):
    stale = Survey.objects.get(pk=demo_survey.pk)
    choice = Choice.objects.filter(question__page__survey=demo_survey).first()
    choice.label = "Renamed"
    choice.save()
    changed = Survey.objects.get(pk=demo_survey.pk).structure_version
    assert changed > stale.structure_version
    stale.title = "A new title"
    stale.save()
    assert Survey.objects.get(pk=demo_survey.pk).structure_version == changed


def test_answers_checked_against_a_structure_changed_since_are_not_sent(resident, monkeypatch):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    earlier = survey_structure_get(survey=Survey.objects.get(pk=resident.survey.pk))
    choice = Choice.objects.get(
        question__page__survey=resident.survey, question__key="main_park", value="longford_park"
    )
    choice.label = "A renamed park"
    choice.save()
    # As if this request had read the survey and its structure just before the officer's change.
    monkeypatch.setattr(view, "survey_structure_cached", lambda survey: earlier)
    sent = resident.send(key)
    assert sent.status_code == 302 and sent["Location"].endswith("/check-your-answers/")
    assert not Response.objects.filter(survey=resident.survey).exists()
    monkeypatch.undo()
    assert "A renamed park" in text(resident.check_page())  # the answers as they stand now
    assert resident.send(key).status_code == 302
    assert Response.objects.filter(survey=resident.survey).count() == 1
