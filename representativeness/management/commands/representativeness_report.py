import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.tabular_export import csv_lines
from representativeness.disclosure import Audience, protection_for
from representativeness.reports.builder import ReportError, report_build
from representativeness.reports.serialize import CSV_HEADER, report_as_dict, report_rows
from surveys.management.survey_argument import survey_from_slug
from surveys.models import Channel


class Command(BaseCommand):
    help = (
        "Print a survey's representativeness report against an area's Census 2021 baselines. The figures are "
        "protected as in every download (small counts hidden, derived figures rounded); --exact prints them "
        "exactly, for someone who may see equality data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("survey_slug")
        parser.add_argument("--area", required=True, help="ONS code of the area, e.g. E08000009.")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--channel", choices=Channel.values, default=None)
        parser.add_argument(
            "--exact",
            action="store_true",
            help="Exact figures, every count and full-precision statistics (special category data: handle with care).",
        )

    def handle(self, *args: object, **options: object) -> None:
        survey = survey_from_slug(str(options["survey_slug"]))
        audience = Audience.EXACT if options["exact"] else Audience.PROTECTED
        try:
            report = report_build(
                survey=survey,
                area_code=str(options["area"]),
                channel=options["channel"],  # type: ignore[arg-type]
                audience=audience,
            )
        except ReportError as error:
            raise CommandError(protection_for(audience=audience, survey=survey).error_text(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report), indent=2, allow_nan=False))
        else:
            for line in csv_lines(CSV_HEADER, report_rows(report)):
                self.stdout.write(line.lstrip("\ufeff") if sys.stdout.isatty() else line, ending="")
