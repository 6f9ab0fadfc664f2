"""Delete the contact details of requests for other formats once their consultation has closed.

Run it on a schedule (daily, with purge_equality_answers); closing a consultation early from the
workspace deletes its requests' details at once.
"""

from typing import Any

from django.core.management.base import BaseCommand

from engagement.formats.services import format_contacts_delete


class Command(BaseCommand):
    help = "Delete the contact details of requests for other formats for consultations that have closed."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = format_contacts_delete()
        self.stdout.write(
            f"Deleted the contact details of {deleted} request{'s' if deleted != 1 else ''} for other formats."
        )
