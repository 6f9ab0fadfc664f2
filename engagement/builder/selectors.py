"""Reads for the survey builder: the surveys a member of staff works on, and what one survey holds."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from access.policy import visible
from engagement.builder.services.routing import condition_description
from surveys.models import Answer, Choice, GridRow, Page, Question, Response, Survey


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


@dataclass
class QuestionOutline:
    question: Question
    answered: int
    condition: str
    choices: list[Choice]
    rows: list[GridRow]
    first: bool
    last: bool


@dataclass
class PageOutline:
    page: Page
    condition: str
    questions: list[QuestionOutline]
    first: bool
    last: bool


def survey_outline(*, survey: Survey) -> list[PageOutline]:
    """The survey's consultation pages and their questions, in order, with how many people answered each
    question and each condition in words: what the builder's survey page shows."""
    answered = dict(
        Answer.objects.filter(question__page__survey=survey)
        .values_list("question_id")
        .annotate(n=Count("response_id", distinct=True))
    )
    pages = list(
        survey.pages.filter(section=Page.Section.CONSULTATION)
        .select_related("condition_question")
        .prefetch_related("questions__choices", "questions__grid_rows", "questions__condition_question")
        .order_by("position")
    )
    outline = []
    for i, page in enumerate(pages):
        questions = sorted(page.questions.all(), key=lambda q: q.position)
        outline.append(
            PageOutline(
                page=page,
                condition=condition_description(item=page),
                first=i == 0,
                last=i == len(pages) - 1,
                questions=[
                    QuestionOutline(
                        question=q,
                        answered=answered.get(q.pk, 0),
                        condition=condition_description(item=q),
                        choices=sorted(q.choices.all(), key=lambda c: c.position),
                        rows=sorted(q.grid_rows.all(), key=lambda r: r.position),
                        first=j == 0,
                        last=j == len(questions) - 1,
                    )
                    for j, q in enumerate(questions)
                ],
            )
        )
    return outline
