"""What an outcome page shows: the answers to the closed questions and who took part, both protected
as every public figure is (representativeness.disclosure)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from representativeness.disclosure import Audience, protect_answer_counts, protect_answer_shares, protection_for
from representativeness.reports.builder import Report, ReportError, report_build
from representativeness.reports.builder.report import CharacteristicReport
from surveys.models import Answer, Question, Survey
from surveys.selectors import survey_structure_get

CLOSED_TYPES = {
    Question.Type.SINGLE_CHOICE,
    Question.Type.DROPDOWN,
    Question.Type.AGREEMENT,
    Question.Type.MULTIPLE_CHOICE,
    Question.Type.GRID,
}


@dataclass(frozen=True)
class AnswerCount:
    label: str
    count: int | None  # None: hidden to protect small numbers
    share: float | None  # of the people who answered the question; None where the count is hidden

    @property
    def hidden(self) -> bool:
        return self.count is None

    @property
    def percent(self) -> int | None:
        """The share as the page and the download show it: a whole percentage."""
        return None if self.share is None else round(self.share * 100)


@dataclass(frozen=True)
class ClosedQuestionResult:
    key: str
    text: str
    answered: int
    several: bool  # multiple choice: shares add up to more than 100%
    rows: list[AnswerCount]

    @property
    def any_hidden(self) -> bool:
        return any(r.hidden for r in self.rows)

    @property
    def headline(self) -> str:
        if not self.answered:
            return f"Nobody answered “{self.text}”."
        shown = [r for r in self.rows if r.count is not None and r.share is not None]
        if not shown:
            people = "person" if self.answered == 1 else "people"
            return f"{self.answered:,} {people} answered. Answers chosen by few people are hidden."
        top = max(shown, key=lambda r: r.count or 0)
        return f"{top.label}: {top.share:.0%} of the {self.answered:,} people who answered."


def closed_question_results(
    *, survey: Survey, audience: Audience = Audience.PROTECTED, as_of: dt.datetime | None = None
) -> list[ClosedQuestionResult]:
    """Each consultation question answered by choosing from a list (each row of a grid), with how many
    chose each answer:
    for the public (the default), small counts hidden and shares rounded by the disclosure-control
    module, exactly as the page, its tables and its downloads show them.
    About you questions are never here: who took part is the protected representativeness summary.

    `as_of` (the outcome's publication): responses keyed in later are left out, so the published figures
    never change by one late paper form's answers."""
    protection = protection_for(audience=audience, survey=survey)
    specs = [q for q in survey_structure_get(survey=survey).questions if not q.is_equality and q.type in CLOSED_TYPES]
    ids = [q.question.pk for q in specs]
    answers = Answer.objects.filter(question_id__in=ids)
    if as_of is not None:
        answers = answers.exclude(response__source__keyed_at__gt=as_of)
    # Keyed by (question, grid row or None, choice or None).
    counts: dict[tuple[int, int | None, int | None], int] = {}
    for row in answers.values("question_id", "grid_row_id", "choice_id").annotate(n=Count("id")):
        counts[(row["question_id"], row["grid_row_id"], row["choice_id"])] = row["n"]
    answered: dict[tuple[int, int | None], int] = {
        (row["question_id"], row["grid_row_id"]): row["n"]
        for row in answers.values("question_id", "grid_row_id").annotate(n=Count("response_id", distinct=True))
    }
    results = []
    for spec in specs:
        question = spec.question
        by_value = {c.value: c.pk for c in question.choices.all()}
        # A grid is one table per row ("Paths": Good, Poor...), each answered by one choice.
        tables: list[tuple[str, str, int | None]] = (
            [(f"{spec.key}-{row.value}", f"{question.text}: {row.label}", row.pk) for row in spec.rows]
            if spec.type == Question.Type.GRID
            else [(spec.key, question.text, None)]
        )
        for key, text, grid_row in tables:
            total = answered.get((question.pk, grid_row), 0)
            exact: dict[str, int] = {}
            for option in spec.options:
                choice_id = by_value.get(option.value)
                count = counts.get((question.pk, grid_row, choice_id), 0) if choice_id is not None else 0
                if option.is_other and choice_id is None:
                    count = counts.get((question.pk, grid_row, None), 0)  # "Other" offered without a choice row
                exact[option.label] = count
            several = spec.type == Question.Type.MULTIPLE_CHOICE
            shown = protect_answer_counts(exact, answered=total, several=several, name=key, protection=protection)
            shares = protect_answer_shares(shown, answered=total, protection=protection)
            rows = [AnswerCount(label, shown[label], shares[label]) for label in exact]
            results.append(ClosedQuestionResult(key=key, text=text, answered=total, several=several, rows=rows))
    return results


def participation_summary(*, survey: Survey) -> Report | None:
    """Who took part, compared with the census, protected as every public figure is
    (representativeness.disclosure): None when there is nothing to compare."""
    area = survey.report_area_code or settings.COUNCIL["area_code"]
    try:
        return report_build(survey=survey, area_code=area, audience=Audience.PROTECTED)
    except ReportError:
        return None


def participation_tables(report: Report) -> list[CharacteristicReport]:
    """Each characteristic the report compares, once: at its broad level where it has one (ethnic group's
    five groups rather than its nineteen), otherwise at the one level it has (age, sex, religion, ward...),
    so that every group the headline names is in a table."""
    broad = {c.key for c in report.characteristics if c.level == "broad"}
    return [c for c in report.characteristics if c.level == "broad" or c.key not in broad]
