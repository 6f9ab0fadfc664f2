"""Routing conditions set through the builder: "show this page (or question) only if the answer to an
earlier question is one of ...". Only earlier questions with choices, and only their choices, are offered."""

from django.db import transaction

from engagement.builder.services.guard import BuilderRefusal, keeps_open_survey_answerable
from surveys.models import Condition, Page, Question
from surveys.readiness import ROUTABLE_TYPES
from surveys.selectors import DEFAULT_AGREEMENT_CHOICES, ChoiceOption, QuestionSpec, survey_structure_get


def earlier_questions(*, item: Page | Question) -> list[QuestionSpec]:
    """The questions a condition on `item` may use: routable ones before it in the survey (for a
    question, earlier questions on its own page too), About you questions left out."""
    page = item if isinstance(item, Page) else item.page
    structure = survey_structure_get(survey=page.survey)
    earlier: list[QuestionSpec] = []
    for spec in structure.pages:
        if spec.page.pk == page.pk:
            if isinstance(item, Question):
                earlier += [q for q in spec.questions if q.question.position < item.position]
            break
        earlier += spec.questions
    return [q for q in earlier if q.type in ROUTABLE_TYPES and not q.is_equality]


def condition_answers(*, item: Page | Question, question_id: int) -> tuple[QuestionSpec, list[ChoiceOption]]:
    """The earlier question chosen for a condition and the answers it can be matched on."""
    spec = next((q for q in earlier_questions(item=item) if q.question.pk == question_id), None)
    if spec is None:
        raise BuilderRefusal("Choose one of the questions that come before this one.", field="question")
    return spec, spec.options


@transaction.atomic
def condition_set(*, item: Page | Question, question_id: int, values: list[str]) -> Page | Question:
    """Show `item` only when the answer to the earlier question is one of `values` (for a multiple-choice
    question: includes one of them)."""
    spec, options = condition_answers(item=item, question_id=question_id)
    offered = {o.value for o in options}
    chosen = [v for v in dict.fromkeys(values) if v in offered]
    if not chosen:
        raise BuilderRefusal("Select at least one answer that shows it.", field="values")
    survey = item.survey if isinstance(item, Page) else item.page.survey
    with keeps_open_survey_answerable(survey):
        item.condition_question = spec.question
        item.condition_operator = Condition.INCLUDES if spec.type == Question.Type.MULTIPLE_CHOICE else Condition.ONE_OF
        item.condition_values = chosen
        item.save(update_fields=["condition_question", "condition_operator", "condition_values"])
    return item


@transaction.atomic
def condition_clear(*, item: Page | Question) -> Page | Question:
    survey = item.survey if isinstance(item, Page) else item.page.survey
    with keeps_open_survey_answerable(survey):
        item.condition_question = None
        item.condition_operator = ""
        item.condition_values = []
        item.save(update_fields=["condition_question", "condition_operator", "condition_values"])
    return item


def condition_description(*, item: Page | Question) -> str:
    """The condition in words: 'Only if “How often do you visit?” is Weekly or Daily'."""
    question = item.condition_question
    if question is None:
        return ""
    labels = dict(question.choices.values_list("value", "label"))
    if question.type == Question.Type.AGREEMENT and not labels:
        labels = dict(DEFAULT_AGREEMENT_CHOICES)
    if question.allow_other:
        labels.setdefault("other", "Other")
    values = [labels.get(str(v), f"{v} (no longer a choice)") for v in item.condition_values or []]
    verb = "includes" if item.condition_operator == Condition.INCLUDES else "is"
    joined = values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]
    return f"Only if the answer to “{question.text}” {verb} {joined}"
