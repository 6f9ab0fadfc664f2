from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from plans.attendees import attendee_profiles_purge
from representativeness.services.datasets import datasets_purge
from surveys.equality.services import RetentionPeriodError, equality_answers_purge
from surveys.saved_journeys import saved_journeys_purge


def _expired_sessions() -> int | None:
    """How many sessions clearsessions will delete, where the session engine can say (database-backed)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return None
    return store.get_model_class().objects.filter(expire_date__lt=timezone.now()).count()


class Command(BaseCommand):
    help = (
        "Delete 'About you' answers of surveys closed longer ago than the retention period (respondents' and "
        "activity attendees'), uploaded group "
        "datasets older than it, saved journeys "
        "whose resume link has expired, and expired sessions (clearsessions)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention period in days after a survey closes (default: EQUALITY_RETENTION_DAYS).",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = equality_answers_purge(retention_days=options["days"])  # type: ignore[arg-type]
        except RetentionPeriodError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Deleted {result['deleted']} 'About you' record(s) from {result['surveys']} closed survey(s)."
        )
        days = settings.EQUALITY_RETENTION_DAYS if options["days"] is None else options["days"]
        self.stdout.write(
            f"Deleted {attendee_profiles_purge(retention_days=days)} attendee profile(s) of closed surveys."  # type: ignore[arg-type]
        )
        self.stdout.write(
            f"Deleted {datasets_purge(retention_days=days)} uploaded group dataset(s) older than {days} days."  # type: ignore[arg-type]
        )
        self.stdout.write(f"Deleted {saved_journeys_purge()} expired saved journey(s).")
        sessions = _expired_sessions()
        call_command("clearsessions")
        self.stdout.write(
            "Cleared expired sessions." if sessions is None else f"Deleted {sessions} expired session(s)."
        )
