"""Why a survey cannot go live: every problem that would stop residents finishing it.

One list, asked by everything that opens a survey to residents (`services.survey_publish`, the
Django admin's validation, the officer survey builder's publish checklist), so a survey nobody can
finish is refused whoever builds it. Each problem has a stable `code`, a plain message an officer
can act on, and says what it is about (the survey, a page or a question, and which field), so a
builder can link straight to where to fix it.

Add a check by writing a function from `SurveyStructure` to problems and listing it in `CHECKS`.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from surveys.models import Condition, Page, Question, Survey
from surveys.selectors import PageSpec, QuestionSpec, SurveyStructure, survey_structure_get

Type = Question.Type
CHOICE_TYPES = (Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE, Type.DROPDOWN)
# Questions a condition can match on their answer (agreement questions without choice rows use the standard scale).
ROUTABLE_TYPES = (*CHOICE_TYPES, Type.AGREEMENT)
AGE_TYPES = (Type.DATE_OF_BIRTH, Type.NUMBER)


@dataclass(frozen=True)
class SurveyProblem:
    """One reason residents could not finish the survey, and where to put it right."""

    code: str
    message: str
    survey_id: UUID
    page_id: int | None = None
    question_id: int | None = None
    # The field of that page or question to change ("choices", "condition_question", "key", ...).
    field: str = ""

    @property
    def subject(self) -> str:
        """What the problem is about: "question", "page" or "survey"."""
        if self.question_id is not None:
            return "question"
        if self.page_id is not None:
            return "page"
        return "survey"


@dataclass(frozen=True)
class ReadinessContext:
    structure: SurveyStructure
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None

    @property
    def survey(self) -> Survey:
        return self.structure.survey


Check = Callable[[ReadinessContext], Iterable[SurveyProblem]]


def _question_problem(ctx: ReadinessContext, q: QuestionSpec, code: str, message: str, field: str) -> SurveyProblem:
    return SurveyProblem(
        code=code,
        message=message,
        survey_id=ctx.survey.pk,
        page_id=q.question.page_id,
        question_id=q.question.pk,
        field=field,
    )


def _named(q: QuestionSpec) -> str:
    return f"“{q.question.text}”"


def check_has_questions(ctx: ReadinessContext) -> Iterable[SurveyProblem]:
    if not any(p.questions for p in ctx.structure.pages):
        yield SurveyProblem(code="no_questions", message="The survey has no questions.", survey_id=ctx.survey.pk)


def check_question_keys(ctx: ReadinessContext) -> Iterable[SurveyProblem]:
    """Answers are stored and routed by key: two questions with one key would overwrite each other."""
    seen: dict[str, QuestionSpec] = {}
    for q in ctx.structure.questions:
        first = seen.setdefault(q.key, q)
        if first is not q:
            yield _question_problem(
                ctx,
                q,
                "duplicate_question_key",
                f"Question {_named(q)} has the key “{q.key}”, which {_named(first)} already uses. "
                "Give each question its own key.",
                "key",
            )


def check_options(ctx: ReadinessContext) -> Iterable[SurveyProblem]:
    for q in ctx.structure.questions:
        question = q.question
        if q.type in CHOICE_TYPES and not q.options:
            yield _question_problem(
                ctx, q, "no_choices", f"Question {_named(q)} has no choices to pick from. Add its choices.", "choices"
            )
        if q.type == Type.GRID and not q.rows:
            yield _question_problem(ctx, q, "grid_no_rows", f"Grid question {_named(q)} has no rows.", "grid_rows")
        if q.type == Type.GRID and not q.options:
            yield _question_problem(
                ctx, q, "grid_no_choices", f"Grid question {_named(q)} has no choices to rate its rows on.", "choices"
            )
        if q.type == Type.MULTIPLE_CHOICE and question.max_choices == 0:
            yield _question_problem(
                ctx,
                q,
                "max_choices_zero",
                f"Question {_named(q)} allows no answers at all. Leave the most answers blank or set it to 1 or more.",
                "max_choices",
            )
        if q.type in (Type.SHORT_TEXT, Type.LONG_TEXT) and question.max_length == 0:
            yield _question_problem(
                ctx,
                q,
                "max_length_zero",
                f"Question {_named(q)} allows no characters. Leave the character limit blank or set it to 1 or more.",
                "max_length",
            )
        if (
            q.type == Type.NUMBER
            and question.min_value is not None
            and question.max_value is not None
            and question.min_value > question.max_value
        ):
            yield _question_problem(
                ctx,
                q,
                "number_range_empty",
                f"Question {_named(q)} has a smallest number ({question.min_value}) above its largest "
                f"({question.max_value}), so no answer is possible.",
                "min_value",
            )
        # An unknown equality key never gets this far: the model and the database refuse it (migration 0007).


def _rule_problems(
    ctx: ReadinessContext,
    item: Page | Question,
    described: str,
    earlier: dict[int, QuestionSpec],
    in_survey: dict[int, QuestionSpec],
    make: Callable[[str, str, str], SurveyProblem],
) -> Iterable[SurveyProblem]:
    """Problems with a page's or question's condition, given the questions that come before it."""
    if item.condition_question_id is None:
        if item.condition_operator or item.condition_values:
            yield make(
                "condition_incomplete",
                f"{described} has a condition but no question it depends on.",
                "condition_question",
            )
        return
    target = in_survey.get(item.condition_question_id)
    if target is None:
        yield make(
            "condition_other_survey",
            f"{described} depends on a question from another survey. Choose a question from this survey.",
            "condition_question",
        )
        return
    if item.condition_question_id not in earlier:
        yield make(
            "condition_not_before",
            f"{described} depends on {_named(target)}, which does not come before it. "
            "A condition can only use an earlier answer.",
            "condition_question",
        )
        return
    operator = item.condition_operator
    values = [str(v) for v in item.condition_values or []]
    if operator not in Condition.values or not values:
        yield make(
            "condition_incomplete",
            f"{described} depends on {_named(target)} but does not say which answers show it.",
            "condition_values" if operator in Condition.values else "condition_operator",
        )
        return
    if operator == Condition.AGE_AT_LEAST_OR_UNKNOWN:
        if target.type not in AGE_TYPES or len(values) != 1 or not values[0].isdigit():
            yield make(
                "condition_age_invalid",
                f"{described} uses an age condition, which needs a date of birth or number question and one "
                "whole number of years.",
                "condition_values",
            )
        return
    offered = {o.value for o in target.options}
    if target.type not in ROUTABLE_TYPES:
        yield make(
            "condition_on_unchoosable",
            f"{described} depends on {_named(target)}, which has no choices to match.",
            "condition_question",
        )
        return
    unknown = [v for v in values if v not in offered]
    if unknown:
        yield make(
            "condition_unknown_value",
            f"{described} is shown for {', '.join(f'“{v}”' for v in unknown)}, which "
            f"{'is not a choice' if len(unknown) == 1 else 'are not choices'} of {_named(target)}.",
            "condition_values",
        )


def check_routing(ctx: ReadinessContext) -> Iterable[SurveyProblem]:
    in_survey = {q.question.pk: q for q in ctx.structure.questions}
    earlier: dict[int, QuestionSpec] = {}
    for page in ctx.structure.pages:
        yield from _page_rule_problems(ctx, page, earlier, in_survey)
        on_page: dict[int, QuestionSpec] = {}
        for q in page.questions:

            def make(code: str, message: str, field: str, q: QuestionSpec = q) -> SurveyProblem:
                return _question_problem(ctx, q, code, message, field)

            yield from _rule_problems(ctx, q.question, f"Question {_named(q)}", earlier | on_page, in_survey, make)
            on_page[q.question.pk] = q
        earlier.update(on_page)


def _page_rule_problems(
    ctx: ReadinessContext, page: PageSpec, earlier: dict[int, QuestionSpec], in_survey: dict[int, QuestionSpec]
) -> Iterable[SurveyProblem]:
    def make(code: str, message: str, field: str) -> SurveyProblem:
        return SurveyProblem(code=code, message=message, survey_id=ctx.survey.pk, page_id=page.page.pk, field=field)

    yield from _rule_problems(ctx, page.page, f"Page “{page.page.title}”", earlier, in_survey, make)


def check_dates(ctx: ReadinessContext) -> Iterable[SurveyProblem]:
    if ctx.closes_at is None:
        # Residents need to know how long they have, and equality answers' retention runs from the close.
        yield SurveyProblem(
            code="no_closing_date",
            message="The survey has no closing date. Set the date it closes.",
            survey_id=ctx.survey.pk,
            field="closes_at",
        )
    if ctx.opens_at and ctx.closes_at and ctx.closes_at <= ctx.opens_at:
        yield SurveyProblem(
            code="closes_before_opens",
            message="The closing date must be after the opening date.",
            survey_id=ctx.survey.pk,
            field="closes_at",
        )


def check_privacy_notice(ctx: ReadinessContext) -> Iterable[SurveyProblem]:
    if not ctx.survey.privacy_notice.strip():
        yield SurveyProblem(
            code="no_privacy_notice",
            message="The survey has no privacy notice. Say who runs it, what is collected, why, and for how long.",
            survey_id=ctx.survey.pk,
            field="privacy_notice",
        )


CHECKS: list[Check] = [
    check_has_questions,
    check_question_keys,
    check_options,
    check_routing,
    check_dates,
    check_privacy_notice,
]


def survey_problems_list(
    *,
    survey: Survey,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    structure: SurveyStructure | None = None,
) -> list[SurveyProblem]:
    """Everything that stops this survey going live, in the order of the survey; empty when it can.

    `opens_at`/`closes_at` check dates about to be set instead of the survey's own.
    """
    ctx = ReadinessContext(
        structure=structure or survey_structure_get(survey=survey),
        opens_at=opens_at or survey.opens_at,
        closes_at=closes_at or survey.closes_at,
    )
    return [problem for check in CHECKS for problem in check(ctx)]
