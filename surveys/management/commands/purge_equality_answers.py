from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.equality.services import equality_answers_purge


class Command(BaseCommand):
    help = "Delete 'About you' answers of surveys closed longer ago than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention period in days after a survey closes (default: EQUALITY_RETENTION_DAYS).",
        )

    def handle(self, *args: object, **options: object) -> None:
        days = options["days"]
        if days is not None and int(days) < 0:  # type: ignore[call-overload]
            raise CommandError("--days cannot be negative.")
        result = equality_answers_purge(retention_days=days)  # type: ignore[arg-type]
        self.stdout.write(
            f"Deleted {result['deleted']} 'About you' record(s) from {result['surveys']} closed survey(s)."
        )
