"""The retention schedule on the background worker: queued once, run by the worker, and each run queues
the next a day later (surveys/retention.py; make serve queues the first)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from surveys.models import SavedJourney
from surveys.retention import retention_scheduled
from surveys.saved_journeys import journey_save
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def runs(status: TaskResultStatus) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=retention_scheduled.module_path, status=status))


def test_the_worker_applies_retention_and_queues_the_next_run_a_day_later(database_tasks, capsys, monkeypatch):
    # The worker closes stale connections between tasks; here that would close the test's own database.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    survey = SurveyFactory()
    expired = journey_save(survey=survey, data={}, current_step="1", reference="AAAA-AAAA").saved
    SavedJourney.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    call_command("schedule_retention")
    call_command("schedule_retention")  # again, as at every start: still one run queued
    assert "already queued" in capsys.readouterr().out
    assert len(runs(TaskResultStatus.READY)) == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")

    assert not SavedJourney.objects.filter(pk=expired.pk).exists()
    done = runs(TaskResultStatus.SUCCESSFUL)
    assert len(done) == 1 and "Deleted 1 expired saved journey(s)." in done[0].return_value
    (tomorrow,) = runs(TaskResultStatus.READY)
    assert dt.timedelta(hours=23) < tomorrow.run_after - timezone.now() <= dt.timedelta(days=1)


def test_with_tasks_run_at_once_there_is_nothing_to_queue(capsys, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("schedule_retention")
    assert "purge_equality_answers" in capsys.readouterr().out
    assert not DBTaskResult.objects.exists()
