from django.core.management.base import BaseCommand

from surveys.retention import retention_schedule


class Command(BaseCommand):
    help = "Queue the daily retention run for the background worker (make serve does this at start)."

    def handle(self, *args: object, **options: object) -> None:
        if retention_schedule():
            self.stdout.write("Queued the retention run; each run queues the next, a day later.")
        else:
            self.stdout.write(
                "The retention run is already queued (or tasks run at once here: use purge_equality_answers)."
            )
