"""python manage.py import_census FILE [FILE ...] [--area CODE ...] [--council CODE]

Reads Nomis bulk, ONS custom dataset, Nomis API and long-format census files (told apart by their
header), checks them and stores their baselines. All files of one run are imported in one
transaction: if any file has a problem, nothing is imported and every problem is listed.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from representativeness.census import CensusFileError, CensusIssue, CensusUpload
from representativeness.census.cells import level_from_code
from representativeness.census.choices import AreaLevel
from representativeness.services import census_files_import, census_max_bytes, wards_place


class Command(BaseCommand):
    help = (
        "Import Census 2021 baselines from files downloaded from Nomis or ONS. Every file is checked first; "
        "if any has a problem nothing is imported. Re-importing an area's table replaces it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="CSV files to import.")
        parser.add_argument(
            "--area",
            dest="areas",
            action="extend",
            nargs="+",
            default=[],
            metavar="CODE",
            help="Import only these areas (ONS codes such as E08000007); by default every area in the files.",
        )
        parser.add_argument(
            "--council",
            default=None,
            metavar="CODE",
            help="The council the files' wards lie in (E08000009): its surveys then offer those wards.",
        )

    def handle(self, *args: Any, files: list[str], areas: list[str], council: str | None, **options: Any) -> None:
        max_bytes = census_max_bytes()
        uploads: list[CensusUpload] = []
        problems: list[CensusIssue] = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                problems.append(CensusIssue(name, "no such file"))
                continue
            size = path.stat().st_size
            if size > max_bytes:
                # Refused before reading, so that a wrong multi-gigabyte file is not loaded into memory.
                problems.append(CensusIssue(path.name, f"the file is {size:,} bytes, over the limit of {max_bytes:,}"))
                continue
            uploads.append(CensusUpload(file_name=path.name, data=path.read_bytes()))
        codes = [code for value in areas for code in value.split(",") if code.strip()]
        try:
            if problems:
                raise CensusFileError(problems)
            with transaction.atomic():
                imported = census_files_import(uploads=uploads, area_codes=codes or None)
                wards = [c for item in imported for c in item.area_codes if level_from_code(c) == AreaLevel.WARD]
                if council and wards:
                    wards_place(council_code=council, ward_codes=wards)
        except CensusFileError as error:
            raise CommandError("Nothing was imported.\n" + "\n".join(str(issue) for issue in error.issues)) from None

        for item in imported:
            replaced = f", replacing {len(item.replaced)}" if item.replaced else ""
            self.stdout.write(
                f"{item.file_name}: {item.table} for {len(item.area_codes)} area"
                f"{'' if len(item.area_codes) == 1 else 's'} ({item.format_label}){replaced}"
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {len(imported)} file{'' if len(imported) == 1 else 's'}."))
