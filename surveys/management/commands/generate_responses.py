from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.management.survey_argument import survey_from_slug
from surveys.synthetic import responses_generate


class Command(BaseCommand):
    help = (
        "Fill a survey with synthetic responses whose profile deliberately differs from the census "
        "(for demonstrations and benchmarks). References start with SY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("survey_slug")
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--without-answers", action="store_true", help="Only 'About you' answers, no consultation answers."
        )

    def handle(self, *args: object, **options: object) -> None:
        survey = survey_from_slug(str(options["survey_slug"]))
        try:
            added = responses_generate(
                survey=survey,
                count=int(options["count"]),  # type: ignore[call-overload]
                seed=int(options["seed"]),  # type: ignore[call-overload]
                with_answers=not options["without_answers"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Added {added} synthetic responses to {survey.slug}.")
