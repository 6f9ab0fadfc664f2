"""python manage.py load_census: load the census counts shipped in data/census.

The ten Greater Manchester councils and Trafford's wards, enough for the demo survey's report and
the tests. Safe to run again: each area's tables are replaced with the same counts.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from representativeness.census import CensusFileError
from representativeness.services import SHIPPED_CENSUS_DIR, census_shipped_load


class Command(BaseCommand):
    help = "Load the Census 2021 baselines shipped in data/census (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory", type=Path, default=SHIPPED_CENSUS_DIR, help="Where the CSV files are (searched recursively)."
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            imported = census_shipped_load(directory=directory)
        except CensusFileError as error:
            raise CommandError("Nothing was loaded.\n" + "\n".join(str(issue) for issue in error.issues)) from None
        baselines = sum(len(item.area_codes) for item in imported)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {baselines} baselines from {len(imported)} files in {directory}.")
        )
