import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.tabular_export import csv_lines
from representativeness.disclosure import Audience, protection_for
from representativeness.populations.datasets import DatasetError, dataset_counts, mappings_from_text, table_rows
from representativeness.populations.population import dataset_population
from representativeness.reports.builder import Report, ReportError, report_build
from representativeness.reports.builder.build import population_report
from representativeness.reports.serialize import CSV_HEADER, report_as_json, report_rows
from representativeness.respondent_areas import WardNeedsExactAudience
from representativeness.selectors import report_area_default_code
from surveys.management.survey_argument import survey_from_slug
from surveys.models import Channel


class Command(BaseCommand):
    help = (
        "Print a representativeness report against an area's Census 2021 baselines: of a survey's respondents, "
        "or of a dataset file (--dataset: CSV or XLSX, one row per person or counts per category; only its "
        "counts are read, nothing is stored). The figures are protected as in every download (small counts "
        "hidden, derived figures rounded); --exact prints them exactly, for someone who may see equality data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("survey_slug", nargs="?")
        parser.add_argument("--dataset", help="A CSV or XLSX file of a group's equality data, instead of a survey.")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=LABEL=CATEGORY",
            help="Read a label the file uses as a census category (repeat for more).",
        )
        parser.add_argument("--minimum-age", type=int, default=None, help="With --dataset: the youngest age compared.")
        parser.add_argument(
            "--area",
            default=None,
            help="ONS code of the area, e.g. E08000009; the council's own by default, as on the report page.",
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--channel", choices=Channel.values, default=None)
        parser.add_argument(
            "--exact",
            action="store_true",
            help="Exact figures, every count and full-precision statistics (special category data: handle with care).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not options["area"]:
            options["area"] = report_area_default_code()
            if options["area"] is None:
                raise CommandError("No census baselines are loaded: load some (import_census) or give --area.")
        audience = Audience.EXACT if options["exact"] else Audience.PROTECTED
        if bool(options["dataset"]) == bool(options["survey_slug"]):
            raise CommandError("Name a survey or give --dataset FILE (one of the two).")
        if options["dataset"]:
            report = self._dataset_report(options, audience)
        else:
            survey = survey_from_slug(str(options["survey_slug"]))
            try:
                report = report_build(
                    survey=survey,
                    area_code=str(options["area"]),
                    channel=options["channel"],  # type: ignore[arg-type]
                    audience=audience,
                )
            except WardNeedsExactAudience as error:
                raise CommandError(
                    f"{error} Or, if you may see equality data, run the command with --exact: it compares the ward "
                    "with the respondents who live in it."
                ) from None
            except ReportError as error:
                raise CommandError(protection_for(audience=audience, survey=survey).error_text(error)) from None
        if options["format"] == "json":
            self.stdout.write(report_as_json(report))
        else:
            for line in csv_lines(CSV_HEADER, report_rows(report)):
                self.stdout.write(line.lstrip("\ufeff") if sys.stdout.isatty() else line, ending="")

    def _dataset_report(self, options: dict, audience: Audience) -> Report:
        path = Path(str(options["dataset"]))
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            mappings = mappings_from_text("\n".join(options["map"]))  # type: ignore[arg-type]
            header, rows = table_rows(file_name=path.name, data=path.read_bytes())
            counts = dataset_counts(header, rows, on=dt.date.today(), mappings=mappings)
        except DatasetError as error:
            raise CommandError(f"{path.name} cannot be read: {error}") from None
        population = dataset_population(
            counts,
            title=path.name,
            slug=path.stem,
            minimum_age=options["minimum_age"],  # type: ignore[arg-type]
        )
        protection = protection_for(audience=audience, scope=f"dataset:{path.name}")
        try:
            return population_report(population=population, area_code=str(options["area"]), protection=protection)
        except ReportError as error:
            raise CommandError(protection.error_text(error)) from None
