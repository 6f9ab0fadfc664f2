"""The retention schedule: `manage.py purge_equality_answers` (About you answers of surveys closed longer
than the retention period, expired saved journeys and sessions), `purge_format_contacts`,
`purge_outcome_emails` and expired response exports, run daily by the background worker
(`retention_scheduled`, first queued by `manage.py schedule_retention`)."""

import datetime as dt
import io

from django.core.management import call_command
from django.tasks import TaskResultStatus, task, task_backends
from django.utils import timezone

RETENTION_INTERVAL = dt.timedelta(days=1)


# What each run deletes: About you answers, saved journeys and sessions past their time; the contact
# details of requests for other formats once their consultation has closed; addresses left to hear an
# outcome still held OUTCOME_EMAIL_RETENTION_DAYS after closing.
RETENTION_COMMANDS = ("purge_equality_answers", "purge_format_contacts", "purge_outcome_emails")


def retention_apply() -> str:
    """Delete everything whose retention period is over (RETENTION_COMMANDS, then expired export files);
    what it said."""
    from exports.services import exports_expired_delete

    output = io.StringIO()
    for command in RETENTION_COMMANDS:
        call_command(command, stdout=output)
    deleted = exports_expired_delete()
    output.write(f"Deleted {deleted} expired response export{'s' if deleted != 1 else ''}.\n")
    return output.getvalue()


def _runs(*statuses: TaskResultStatus) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=retention_scheduled.module_path, status__in=statuses).exists()


def retention_schedule(*, run_after: dt.datetime | None = None, from_run: bool = False) -> bool:
    """Queue a run unless one is waiting (or, at start-up, running) already. False where the backend
    cannot wait (the immediate backend of development and tests: there, run the command)."""
    if not task_backends[retention_scheduled.backend].supports_defer:
        return False
    busy = (TaskResultStatus.READY,) if from_run else (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    if _runs(*busy):
        return False
    retention_scheduled.using(run_after=run_after or timezone.now()).enqueue()
    return True


@task
def retention_scheduled() -> str:
    """The worker's daily run: apply the retention periods, then queue tomorrow's run."""
    result = retention_apply()
    retention_schedule(run_after=timezone.now() + RETENTION_INTERVAL, from_run=True)
    return result
