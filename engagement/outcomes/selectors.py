"""What an outcome page shows: the answers to the closed questions, and who took part (protected)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from representativeness.disclosure import Audience
from representativeness.reports.builder import Report, ReportError, report_build
from surveys.models import Answer, Question, Survey
from surveys.selectors import survey_structure_get

CLOSED_TYPES = {
    Question.Type.SINGLE_CHOICE,
    Question.Type.DROPDOWN,
    Question.Type.AGREEMENT,
    Question.Type.MULTIPLE_CHOICE,
}


@dataclass(frozen=True)
class AnswerCount:
    label: str
    count: int
    share: float | None  # of the people who answered the question


@dataclass(frozen=True)
class ClosedQuestionResult:
    key: str
    text: str
    answered: int
    several: bool  # multiple choice: shares add up to more than 100%
    rows: list[AnswerCount]

    @property
    def headline(self) -> str:
        if not self.answered:
            return f"Nobody answered “{self.text}”."
        top = max(self.rows, key=lambda r: r.count)
        return (
            f"{top.label}: {top.share:.0%} of the {self.answered:,} people who answered."
            if top.share is not None
            else ""
        )


def closed_question_results(*, survey: Survey) -> list[ClosedQuestionResult]:
    """Each consultation question answered by choosing from a list, with how many chose each answer.
    About you questions are never here: who took part is the protected representativeness summary."""
    specs = [q for q in survey_structure_get(survey=survey).questions if not q.is_equality and q.type in CLOSED_TYPES]
    ids = [q.question.pk for q in specs]
    counts: dict[tuple[int, int | None], int] = {}
    for row in Answer.objects.filter(question_id__in=ids).values("question_id", "choice_id").annotate(n=Count("id")):
        counts[(row["question_id"], row["choice_id"])] = row["n"]
    answered = {
        row["question_id"]: row["n"]
        for row in Answer.objects.filter(question_id__in=ids)
        .values("question_id")
        .annotate(n=Count("response_id", distinct=True))
    }
    results = []
    for spec in specs:
        question = spec.question
        total = answered.get(question.pk, 0)
        by_value = {c.value: c.pk for c in question.choices.all()}
        rows = []
        for option in spec.options:
            choice_id = by_value.get(option.value)
            count = counts.get((question.pk, choice_id), 0) if choice_id is not None else 0
            if option.is_other and choice_id is None:
                count = counts.get((question.pk, None), 0)  # "Other" offered without a choice row
            rows.append(AnswerCount(option.label, count, count / total if total else None))
        results.append(
            ClosedQuestionResult(
                key=spec.key,
                text=question.text,
                answered=total,
                several=spec.type == Question.Type.MULTIPLE_CHOICE,
                rows=rows,
            )
        )
    return results


def participation_summary(*, survey: Survey) -> Report | None:
    """Who took part, compared with the census, protected as every public figure is
    (representativeness.disclosure): None when there is nothing to compare."""
    area = survey.report_area_code or settings.COUNCIL["area_code"]
    try:
        return report_build(survey=survey, area_code=area, audience=Audience.PROTECTED)
    except ReportError:
        return None
