"""The retention command: About you answers, expired saved journeys and expired sessions, each counted."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.services import Actor
from surveys import services
from surveys.models import SavedJourney, Survey
from surveys.saved_journeys import journey_save
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def saved(survey: Survey, reference: str, *, expires_in: dt.timedelta) -> SavedJourney:
    journey = journey_save(survey=survey, data={}, current_step="1", reference=reference).saved
    SavedJourney.objects.filter(pk=journey.pk).update(expires_at=timezone.now() + expires_in)
    return journey


def session(*, expires_in: dt.timedelta) -> str:
    store = SessionStore()
    store["journey"] = {"step": "3"}
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_retention_deletes_expired_saved_journeys_and_sessions_and_says_how_many(capsys):
    survey = SurveyFactory()
    closed_early = SurveyFactory()
    expired = saved(survey, "AAAA-AAAA", expires_in=-dt.timedelta(minutes=1))
    live = saved(survey, "BBBB-BBBB", expires_in=dt.timedelta(days=29))
    # Closing a survey early ends its resume links, whatever their expiry said.
    of_closed = saved(closed_early, "CCCC-CCCC", expires_in=dt.timedelta(days=29))
    services.survey_close(survey=closed_early, actor=Actor(user=None))
    old_session, current_session = (
        session(expires_in=-dt.timedelta(seconds=1)),
        session(expires_in=dt.timedelta(hours=1)),
    )

    call_command("purge_equality_answers")

    out = capsys.readouterr().out
    assert "Deleted 0 'About you' record(s) from 0 closed survey(s)." in out
    assert "Deleted 2 expired saved journey(s)." in out
    assert "Deleted 1 expired session(s)." in out
    assert list(SavedJourney.objects.values_list("pk", flat=True)) == [live.pk]
    assert not SavedJourney.objects.filter(pk__in=[expired.pk, of_closed.pk]).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == [current_session]
    assert old_session != current_session


@pytest.mark.parametrize("days", ["99999999999", "36501", "-1"])
def test_a_retention_period_out_of_range_is_refused_with_a_clear_message(days):
    survey = SurveyFactory()
    journey = saved(survey, "AAAA-AAAA", expires_in=-dt.timedelta(minutes=1))
    with pytest.raises(CommandError, match=r"from 0 to 36,500 \(100 years\)"):
        call_command("purge_equality_answers", "--days", days)
    assert SavedJourney.objects.filter(pk=journey.pk).exists()  # nothing was deleted


def test_a_retention_period_that_is_not_a_number_is_refused():
    with pytest.raises(CommandError, match="invalid int value"):
        call_command("purge_equality_answers", "--days", "a year")
