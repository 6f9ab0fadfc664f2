"""Pages and questions: add, change, reorder and delete them, without losing or silently changing answers.

Consultation pages come first and the "About you" section (managed by its own editor) last: new pages
go before the section, and pages move within their section. Positions are unique, so moves swap
through a free position.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils.text import slugify

from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.builder.services.guard import (
    BuilderRefusal,
    answer_count,
    dependants,
    keeps_open_survey_answerable,
    people,
)
from surveys.models import Choice, GridRow, Page, Question, Survey
from surveys.structure_cache import structure_survey_id, structures_changed_for, survey_structure_changed

Type = Question.Type
# Question types the builder offers; date of birth belongs to the About you section.
BUILDER_TYPES = [t for t in Type if t != Type.DATE_OF_BIRTH]
CHOICE_TYPES = {Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE, Type.DROPDOWN, Type.AGREEMENT, Type.GRID}
_SHIFT = 10_000  # moves positions out of the way of the unique constraint


def _shift(queryset: QuerySet[Any], by: int) -> None:
    """Add `by` to every position in the queryset without ever giving two rows the same one."""
    structures_changed_for(queryset)
    queryset.update(position=F("position") + _SHIFT)
    queryset.update(position=F("position") - _SHIFT + by)


def _swap(a: Any, b: Any) -> None:
    model = type(a)
    survey_structure_changed(structure_survey_id(a))
    first, second = a.position, b.position
    model.objects.filter(pk=a.pk).update(position=_SHIFT)
    model.objects.filter(pk=b.pk).update(position=first)
    model.objects.filter(pk=a.pk).update(position=second)
    a.position, b.position = second, first


def name_from_words(words: str, taken: set[str], *, longest: int, fallback: str) -> str:
    """A stable name from wording: lower case with underscores, made unique among `taken`
    ("How often?" -> "how_often", then "how_often_2")."""
    base = slugify(words).replace("-", "_")[:longest].strip("_") or fallback
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def key_from_text(text: str, taken: set[str]) -> str:
    """A question's key, unique in the survey."""
    return name_from_words(text, taken, longest=50, fallback="question")


def value_from_label(label: str, taken: set[str]) -> str:
    """A choice's or grid row's value, unique in the question."""
    return name_from_words(label, taken, longest=70, fallback="option")


def survey_keys(survey: Survey) -> set[str]:
    return set(Question.objects.filter(page__survey=survey).values_list("key", flat=True))


# Pages ------------------------------------------------------------------------------------------


def _consultation_pages(survey: Survey) -> QuerySet[Page]:
    return survey.pages.filter(section=Page.Section.CONSULTATION)


@transaction.atomic
def page_add(*, survey: Survey, title: str, introduction: str = "") -> Page:
    """A new consultation page after the others, before any About you section."""
    position = (_consultation_pages(survey).aggregate(top=Max("position"))["top"] or 0) + 1
    _shift(survey.pages.filter(position__gte=position), 1)
    return Page.objects.create(survey=survey, position=position, title=title.strip(), introduction=introduction)


def page_update(*, page: Page, title: str, introduction: str) -> Page:
    if page.section != Page.Section.CONSULTATION:
        raise BuilderRefusal('Change the "About you" pages with the About you editor.')
    page.title, page.introduction = title.strip(), introduction.strip()
    page.save(update_fields=["title", "introduction"])
    return page


def page_move(*, page: Page, up: bool) -> Page:
    """Swap a page with the one before (up) or after it in its section."""
    neighbours = page.survey.pages.filter(section=page.section)
    other = (
        neighbours.filter(position__lt=page.position).order_by("-position").first()
        if up
        else neighbours.filter(position__gt=page.position).order_by("position").first()
    )
    if other is None:
        raise BuilderRefusal(f"“{page.title}” is already the {'first' if up else 'last'} page.")
    with keeps_open_survey_answerable(page.survey):
        _swap(page, other)
    return page


def page_delete(*, page: Page) -> str:
    """Delete a consultation page and its questions, if none of them has answers or decides routing elsewhere."""
    if page.section != Page.Section.CONSULTATION:
        raise BuilderRefusal('Remove "About you" questions with the About you editor.')
    survey = page.survey
    if _consultation_pages(survey).count() == 1:
        raise BuilderRefusal("A survey needs at least one page. Change this page instead of deleting it.")
    questions = list(page.questions.all())
    for question in questions:
        count = answer_count(question)
        if count:
            raise BuilderRefusal(
                f"“{page.title}” cannot be deleted: {people(count)} answered its question “{question.text}”. "
                "Deleting it would lose their answers."
            )
        outside = [d for d in dependants(question) if d not in {f"question “{q.text}”" for q in questions}]
        outside = [d for d in outside if d != f"page “{page.title}”"]
        if outside:
            raise BuilderRefusal(
                f"“{page.title}” cannot be deleted: {', '.join(outside)} depends on the answer to “{question.text}”. "
                "Change that condition first."
            )
    title = page.title
    with keeps_open_survey_answerable(survey):
        page.questions.update(condition_question=None)
        Page.objects.filter(pk=page.pk).update(condition_question=None)
        position = page.position
        page.delete()
        _shift(survey.pages.filter(position__gt=position), -1)
    return title


# Questions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionDetails:
    text: str
    hint: str
    type: str
    required: bool
    key: str = ""
    max_length: int | None = None
    max_choices: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    allow_other: bool = False
    allow_prefer_not_to_say: bool = False


def _check_key(page: Page, key: str, question: Question | None = None) -> None:
    taken = Question.objects.filter(page__survey_id=page.survey_id, key=key)
    if question is not None:
        taken = taken.exclude(pk=question.pk)
    if taken.exists():
        raise BuilderRefusal(f"Another question in this survey already has the key “{key}”.", field="key")


def _apply(question: Question, details: QuestionDetails) -> None:
    question.text = details.text.strip()
    question.hint = details.hint.strip()
    question.type = details.type
    question.required = details.required
    question.max_length = details.max_length if details.type in (Type.SHORT_TEXT, Type.LONG_TEXT) else None
    question.max_choices = details.max_choices if details.type == Type.MULTIPLE_CHOICE else None
    question.min_value = details.min_value if details.type == Type.NUMBER else None
    question.max_value = details.max_value if details.type == Type.NUMBER else None
    question.allow_other = details.allow_other and details.type in CHOICE_TYPES - {Type.AGREEMENT}
    question.allow_prefer_not_to_say = details.allow_prefer_not_to_say and details.type in (Type.NUMBER, Type.DATE)


def _labels(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


@transaction.atomic
def question_add(
    *, page: Page, details: QuestionDetails, choices: list[str] | None = None, rows: list[str] | None = None
) -> Question:
    """A new question at the end of a page, with its first choices and grid rows (one label each)."""
    if page.section != Page.Section.CONSULTATION:
        raise BuilderRefusal('Add "About you" questions with the About you editor.')
    key = details.key or key_from_text(details.text, survey_keys(page.survey))
    _check_key(page, key)
    position = (page.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question(page=page, position=position, key=key)
    _apply(question, details)
    with keeps_open_survey_answerable(page.survey):
        question.save()
        for label in _labels(choices or []):
            option_add(question=question, label=label, kind="choice")
        for label in _labels(rows or []):
            option_add(question=question, label=label, kind="row")
    return question


def question_update(
    *, question: Question, details: QuestionDetails, actor: Actor, reword_confirmed: bool = False
) -> Question:
    """Change a question. Once it has answers its type and key stay as they are, and new wording needs
    `reword_confirmed` (the answers given to the old wording are kept, and the change is recorded)."""
    count = answer_count(question)
    if question.is_equality:
        raise BuilderRefusal('Change "About you" questions with the About you editor.')
    key = details.key or question.key
    if count and details.type != question.type:
        raise BuilderRefusal(
            f"The type cannot change: {people(count)} answered this question as "
            f"“{question.get_type_display()}”, and their answers would no longer fit.",
            field="type",
        )
    if count and key != question.key:
        raise BuilderRefusal(
            f"The key cannot change: {people(count)} answered this question, and exports name it by its key.",
            field="key",
        )
    _check_key(question.page, key, question)
    reworded = question.text != details.text.strip()
    if count and reworded and not reword_confirmed:
        raise BuilderRefusal(
            f"{people(count).capitalize()} already answered “{question.text}”. Confirm that the new wording asks "
            "the same thing: their answers will be shown against it.",
            field="confirm_reword",
        )
    old_text = question.text
    with keeps_open_survey_answerable(question.page.survey):
        question.key = key
        _apply(question, details)
        question.save()
        if count and reworded:
            audit_record(
                actor=actor,
                action=AuditAction.QUESTION_REWORDED,
                target=question.page.survey,
                detail={"question": question.key, "before": old_text, "after": question.text, "answers": count},
            )
    return question


def question_move(*, question: Question, up: bool) -> Question:
    siblings = question.page.questions
    other = (
        siblings.filter(position__lt=question.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=question.position).order_by("position").first()
    )
    if other is None:
        raise BuilderRefusal(f"“{question.text}” is already {'first' if up else 'last'} on its page.")
    with keeps_open_survey_answerable(question.page.survey):
        _swap(question, other)
    return question


def question_delete(*, question: Question) -> str:
    if question.is_equality:
        raise BuilderRefusal('Remove "About you" questions with the About you editor.')
    count = answer_count(question)
    if count:
        raise BuilderRefusal(
            f"“{question.text}” cannot be deleted: {people(count)} answered it, and deleting it would lose "
            "their answers. You can reword it or make it optional instead."
        )
    depending = dependants(question)
    if depending:
        raise BuilderRefusal(
            f"“{question.text}” cannot be deleted: {', '.join(depending)} "
            f"{'depends' if len(depending) == 1 else 'depend'} on its answer. Change that condition first."
        )
    text, page, position = question.text, question.page, question.position
    with keeps_open_survey_answerable(page.survey):
        question.delete()
        _shift(page.questions.filter(position__gt=position), -1)
    return text


# Choices and grid rows --------------------------------------------------------------------------

OPTION_MODELS: dict[str, type[Choice] | type[GridRow]] = {"choice": Choice, "row": GridRow}


def _options(question: Question, kind: str) -> QuerySet[Any]:
    return question.choices.all() if kind == "choice" else question.grid_rows.all()


def option_add(*, question: Question, label: str, kind: str = "choice") -> Choice | GridRow:
    """A new choice (or grid row) at the end. Adding is always allowed, even after answers."""
    label = label.strip()
    existing = _options(question, kind)
    if existing.filter(label__iexact=label).exists():
        raise BuilderRefusal(f"“{label}” is already there.", field="label")
    value = value_from_label(label, set(existing.values_list("value", flat=True)))
    position = (existing.aggregate(top=Max("position"))["top"] or 0) + 1
    with keeps_open_survey_answerable(question.page.survey):
        return OPTION_MODELS[kind].objects.create(question=question, position=position, value=value, label=label)


def option_update(*, option: Choice | GridRow, label: str, actor: Actor, reword_confirmed: bool = False) -> Any:
    label = label.strip()
    count = answer_count(option)
    if count and label != option.label and not reword_confirmed:
        raise BuilderRefusal(
            f"{people(count, has=False).capitalize()} chose “{option.label}”. Confirm that the new wording means "
            "the same: their answers will be shown with it.",
            field="confirm_reword",
        )
    if _options(option.question, _kind(option)).filter(label__iexact=label).exclude(pk=option.pk).exists():
        raise BuilderRefusal(f"“{label}” is already there.", field="label")
    old = option.label
    with keeps_open_survey_answerable(option.question.page.survey):
        option.label = label
        option.save(update_fields=["label"])
        if count and old != label:
            audit_record(
                actor=actor,
                action=AuditAction.QUESTION_REWORDED,
                target=option.question.page.survey,
                detail={"question": option.question.key, "option": option.value, "before": old, "after": label},
            )
    return option


def _kind(option: Choice | GridRow) -> str:
    return "choice" if isinstance(option, Choice) else "row"


def option_move(*, option: Choice | GridRow, up: bool) -> Any:
    siblings = _options(option.question, _kind(option))
    other = (
        siblings.filter(position__lt=option.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=option.position).order_by("position").first()
    )
    if other is None:
        raise BuilderRefusal(f"“{option.label}” is already {'first' if up else 'last'}.")
    _swap(option, other)
    return option


def option_delete(*, option: Choice | GridRow) -> str:
    """Delete a choice nobody chose (or a grid row nobody answered)."""
    count = answer_count(option)
    if count:
        what = "chose" if isinstance(option, Choice) else "answered"
        raise BuilderRefusal(
            f"“{option.label}” cannot be deleted: {people(count, has=False)} {what} it, and deleting it would "
            "lose their answers. You can reword it instead."
        )
    label, question, position = option.label, option.question, option.position
    with keeps_open_survey_answerable(question.page.survey):
        option.delete()
        _shift(_options(question, _kind(option)).filter(position__gt=position), -1)
    return label
