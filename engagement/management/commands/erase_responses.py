"""Erase responses by their references, as an administrator does for a resident's erasure request.

After restoring a backup: a backup still holds the responses erased since it was taken, so each is erased
again from the references the audit log recorded (docs/deploy.md, "Backup and restore"). Each erasure is
recorded in the audit log, as from a command.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.services import Actor
from engagement.data_requests.selectors import response_by_reference
from engagement.data_requests.services import response_erase


class Command(BaseCommand):
    help = "Erase responses (with their About you answers and any saved copy) by their references."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("references", nargs="+", help="Response references, like HX4K-9PQR.")

    def handle(self, *args: Any, **options: Any) -> None:
        for reference in options["references"]:
            response = response_by_reference(reference=reference)
            if response is None:
                self.stdout.write(f"{reference}: not held (already erased, or no response has it)")
                continue
            erased = response_erase(response=response, actor=Actor.command())
            self.stdout.write(f"{erased['reference']}: erased, with its About you answers and any saved copy")
