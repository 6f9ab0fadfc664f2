"""Delete the email addresses residents left to hear an outcome that was never published, once their
consultation closed longer ago than OUTCOME_EMAIL_RETENTION_DAYS. The daily retention run does this."""

from typing import Any

from django.core.management.base import BaseCommand

from engagement.outcomes.services import outcome_subscribers_expired_delete


class Command(BaseCommand):
    help = (
        "Delete the email addresses left to hear a consultation's outcome that are still held "
        "OUTCOME_EMAIL_RETENTION_DAYS after it closed (its outcome was never published)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = outcome_subscribers_expired_delete()
        self.stdout.write(
            f"Deleted {deleted} email address{'es' if deleted != 1 else ''} left to hear an outcome that was "
            "not published."
        )
