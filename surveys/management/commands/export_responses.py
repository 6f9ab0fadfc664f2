"""python manage.py export_responses SURVEY_SLUG --format csv|xlsx|sav --output FILE [--with-equality]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from audit.models import AuditAction
from audit.services import Actor, audit_record
from surveys.exports import ExportFormat, SavValueError, responses_export
from surveys.management.survey_argument import survey_from_slug


class Command(BaseCommand):
    help = (
        "Export a survey's responses: one row per response, one column per answer (an option each for multiple "
        "choice, a row each for grids, 'Other' text apart), with a data dictionary. About you columns only with "
        "--with-equality (special category data: handle with care). Recorded in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("survey_slug")
        parser.add_argument("--format", dest="file_format", choices=ExportFormat.values, default=ExportFormat.CSV)
        parser.add_argument("--output", required=True, help="The file to write (replaced if it exists).")
        parser.add_argument(
            "--with-equality", action="store_true", help="Add the About you answers (special category data)."
        )

    def handle(self, *args: Any, survey_slug: str, file_format: str, output: str, **options: Any) -> None:
        survey = survey_from_slug(survey_slug)
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {str(path.parent)!r} to write {path.name!r} in.")
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as out:
                result = responses_export(
                    survey=survey, file_format=file_format, output=out, with_equality=options["with_equality"]
                )
            partial.replace(path)  # a file at OUTPUT is always a whole export
        except SavValueError as error:
            raise CommandError(f"Could not write the SPSS file: {error}.") from error
        finally:
            partial.unlink(missing_ok=True)
        with transaction.atomic():
            audit_record(
                actor=Actor.command(),
                action=AuditAction.DOWNLOADED,
                target=survey,
                detail={
                    "file": path.name,
                    "format": file_format,
                    "responses": result.rows,
                    "about_you": bool(options["with_equality"]),
                },
            )
        self.stdout.write(f"Wrote {result.rows:,} responses in {result.columns} columns to {path}.")
