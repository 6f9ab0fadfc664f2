"""Reads for the response pages: a survey's responses, and one response in full."""

from django.db.models import QuerySet

from surveys.equality.library import STANDARD_QUESTIONS
from surveys.models import Answer, EqualityProfile, ResidenceArea, Response, Survey


def survey_responses(*, survey: Survey) -> QuerySet[Response]:
    """Newest first; a keyed-in response by the day it was received (its `source` comes with it)."""
    return Response.objects.filter(survey=survey).select_related("source").order_by("-submitted_at")


def response_answers(*, response: Response) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(response=response)
        .select_related("question", "choice", "grid_row")
        .order_by("question__page__position", "question__position", "grid_row__position", "choice__position")
    )


def response_equality_profile(*, response: Response) -> EqualityProfile | None:
    """Individual "About you" answers. Callers must have asked the access policy (Action.EQUALITY_DATA_VIEW)."""
    return EqualityProfile.objects.filter(response=response).first()


_SPECIAL = {"prefer_not_to_say": "Prefer not to say", "skipped": "Skipped", None: "Not asked"}


def equality_profile_rows(*, profile: EqualityProfile) -> list[tuple[str, str]]:
    """(characteristic, answer in words) for each characteristic, labelled as the resident saw them."""
    age = str(profile.age) if profile.age is not None else _SPECIAL.get(profile.age_status or None, "Not asked")
    rows = [("Age", age)]
    for question in STANDARD_QUESTIONS:
        if question.key == "date_of_birth":
            continue
        value = getattr(profile, question.characteristic)
        if value in _SPECIAL:
            shown = _SPECIAL[value]
        elif question.key == "area":
            shown = ResidenceArea.objects.filter(code=value).values_list("name", flat=True).first() or value
        else:
            shown = question.option(value).label
        write_in = profile.write_ins.get(question.characteristic)
        rows.append((question.text, f"{shown}: {write_in}" if write_in else shown))
    return rows
