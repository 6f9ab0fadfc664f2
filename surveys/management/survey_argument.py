from django.core.management.base import CommandError

from surveys.models import Survey


def survey_from_slug(slug: str) -> Survey:
    """The survey a command was given, or the error the command should stop with."""
    try:
        return Survey.objects.get(slug=slug)
    except Survey.DoesNotExist:
        raise CommandError(f"No survey with the slug {slug!r}.") from None
