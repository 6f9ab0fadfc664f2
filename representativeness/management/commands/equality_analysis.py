import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.tabular_export import csv_lines
from representativeness.disclosure import Audience, protection_for
from representativeness.equality_analysis import equality_analysis_build
from representativeness.equality_analysis.intersections import analysis_intersections
from representativeness.equality_analysis.serialize import FILE_HEADER, analysis_as_dict, file_rows
from representativeness.errors import ReportError
from surveys.management.survey_argument import survey_from_slug


class Command(BaseCommand):
    help = (
        "Print how each group answered a survey's closed questions against everyone else, with intervals, tests "
        "adjusted across the analysis and flags, then respondents by sex and age together against the census's "
        "joint table (TS009), as the report compares them. Protected as every download is (small counts hidden, "
        "figures rounded); --exact prints exact figures, for someone who may see equality data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("survey_slug")
        parser.add_argument("--weighted", action="store_true", help="Also weight to the census (raking).")
        parser.add_argument(
            "--area",
            default=None,
            help="ONS code of the census area to weight to and to compare sex and age with (default: the council's).",
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--exact",
            action="store_true",
            help="Exact figures, every count and full-precision statistics (special category data: handle with care).",
        )

    def handle(self, *args: object, **options: object) -> None:
        survey = survey_from_slug(str(options["survey_slug"]))
        audience = Audience.EXACT if options["exact"] else Audience.PROTECTED
        try:
            analysis = equality_analysis_build(
                survey=survey,
                audience=audience,
                weighted=bool(options["weighted"]),
                area_code=options["area"],  # type: ignore[arg-type]
            )
            intersections = analysis_intersections(
                survey=survey,
                area_code=options["area"],  # type: ignore[arg-type]
                audience=audience,
            )
        except ReportError as error:
            raise CommandError(protection_for(audience=audience, survey=survey).error_text(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(analysis_as_dict(analysis, intersections), indent=2, allow_nan=False))
        else:
            for line in csv_lines(FILE_HEADER, file_rows(analysis, intersections)):
                self.stdout.write(line.lstrip("\ufeff") if sys.stdout.isatty() else line, ending="")
