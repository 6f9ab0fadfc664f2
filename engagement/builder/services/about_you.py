"""The survey's "About you" section as the builder sets it: the chosen standard questions, in order."""

from engagement.builder.services.guard import keeps_open_survey_answerable
from surveys.equality.services import equality_section_add, equality_section_remove
from surveys.models import Survey


def equality_section_set(*, survey: Survey, keys: list[str], explanations: dict[str, tuple[str, str]]) -> None:
    """Ask these standard questions, in this order, with these "why we ask" and "how we use" texts; none
    removes the section. Refused (BuilderRefusal), changing nothing, where an open survey would stop being
    one residents can finish; EqualitySectionError for an order the questions cannot be asked in."""
    with keeps_open_survey_answerable(survey):
        if keys:
            equality_section_add(survey=survey, keys=keys, explanations=explanations)
        else:
            equality_section_remove(survey=survey)
