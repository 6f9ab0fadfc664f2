"""What the builder refuses, and why: changes that would lose or silently change residents' answers,
and changes that would stop residents finishing a survey that is open.

Answers point at their question, choice and grid row (on_delete=PROTECT), so nothing answered can
be deleted behind the builder's back either; these checks say so first, in words.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from surveys.models import Answer, Choice, GridRow, Page, Question, Survey
from surveys.readiness import SurveyProblem, survey_problems_list


class BuilderRefusal(ValueError):
    """A change the builder will not make. `field` names the form field it is about, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def answer_count(obj: Question | Choice | GridRow) -> int:
    """How many stored answers use a question, a choice or a grid row."""
    if isinstance(obj, Question):
        return Answer.objects.filter(question=obj).values("response_id").distinct().count()
    if isinstance(obj, Choice):
        return Answer.objects.filter(choice=obj).count()
    return Answer.objects.filter(grid_row=obj).values("response_id").distinct().count()


def people(count: int, *, has: bool = True) -> str:
    """'1 person has', '3 people have' (or without the verb: '1 person', '3 people')."""
    if not has:
        return f"{count:,} {'person' if count == 1 else 'people'}"
    return f"{count:,} {'person has' if count == 1 else 'people have'}"


def dependants(question: Question) -> list[str]:
    """Pages and questions shown depending on this question's answer, by name."""
    pages = [f"page “{p.title}”" for p in Page.objects.filter(condition_question=question)]
    questions = [f"question “{q.text}”" for q in Question.objects.filter(condition_question=question)]
    return pages + questions


@contextmanager
def keeps_open_survey_answerable(survey: Survey) -> Iterator[None]:
    """Make a change in one transaction; if the survey is open and the change would add a reason residents
    could not finish it (surveys/readiness.py), undo it and refuse, saying why."""
    before: set[tuple[str, str]] = set()
    is_open = survey.status == Survey.Status.OPEN
    if is_open:
        before = {_key(p) for p in survey_problems_list(survey=survey)}
    with transaction.atomic():
        yield
        if is_open:
            new = [p for p in survey_problems_list(survey=survey) if _key(p) not in before]
            if new:
                raise BuilderRefusal(
                    "Nothing was changed: the survey is open, and this would stop residents finishing it. "
                    + " ".join(p.message for p in new)
                )


def _key(problem: SurveyProblem) -> tuple[str, str]:
    return (problem.code, problem.message)
