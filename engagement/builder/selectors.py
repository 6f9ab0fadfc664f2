"""Reads for the survey builder: the surveys a member of staff works on, and what one survey holds."""

from typing import Any

from django.db.models import Count, QuerySet

from access.policy import visible
from surveys.models import Page, Question, Response, Survey


def survey_list_for(*, user: Any) -> QuerySet[Survey]:
    """The surveys of the teams the user works on, newest first, with their response counts."""
    surveys = Survey.objects.select_related("team").annotate(response_count=Count("responses"))
    return visible(user, surveys).order_by("-created_at")


def survey_channel_counts(*, survey: Survey) -> dict[str, int]:
    rows = Response.objects.filter(survey=survey).values_list("channel").annotate(n=Count("id"))
    return dict(rows)


def survey_equality_section_keys(*, survey: Survey) -> list[str]:
    return list(
        survey.pages.filter(section=Page.Section.EQUALITY)
        .order_by("position")
        .values_list("questions__equality_key", flat=True)
    )


def survey_equality_section_current(*, survey: Survey) -> dict[str, tuple[int, str, str]]:
    """The About you questions the survey asks: {key: (order, why we ask, how we use)}."""
    questions = Question.objects.filter(page__survey=survey, page__section=Page.Section.EQUALITY).exclude(
        equality_key=""
    )
    return {
        q.equality_key: (i, q.why_we_ask, q.how_we_use)
        for i, q in enumerate(questions.order_by("page__position"), start=1)
    }
