"""Reads for the resident journey: which surveys are public, and a survey's structure in one go."""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from common.prepared import OneRow
from common.stencils import Stencil
from surveys.models import Choice, ConditionalDisplay, GridRow, Page, Question, Response, SavedJourney, Survey
from surveys.routing import Rule

# The value of the "Other (please specify)" option added to a question that allows it.
OTHER = "other"
PREFER_NOT_TO_SAY = "prefer_not_to_say"

DEFAULT_AGREEMENT_CHOICES: tuple[tuple[str, str], ...] = (
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don't know"),
)


@dataclass(frozen=True)
class ChoiceOption:
    value: str
    label: str
    group: str = ""
    write_in: bool = False
    # True for the "Other (please specify)" option, whose description is required.
    is_other: bool = False


@dataclass
class QuestionSpec:
    question: Question
    rule: Rule | None
    options: list[ChoiceOption] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)
    # The question's markup, rendered once per variant with slots for the resident's values
    # (surveys/templatetags/survey_forms.py): kept with the structure, so a new version starts without.
    stencils: dict[tuple[Any, ...], Stencil] = field(default_factory=dict, repr=False, compare=False)
    # Its form fields by name, made once (surveys/forms/page.py: `question_fields`), kept likewise.
    form_fields: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    # Its key and type, asked many times a request (routing, forms, "Check your answers"): kept once
    # asked, as a spec belongs to one structure version, whose questions do not change.
    @cached_property
    def key(self) -> str:
        return self.question.key

    @cached_property
    def type(self) -> str:
        return self.question.type

    @property
    def is_equality(self) -> bool:
        return self.question.is_equality

    @property
    def write_in_options(self) -> list[ChoiceOption]:
        return [o for o in self.options if o.write_in]

    # Kept with the structure in memory (surveys/structure_cache.py), for storing answers.
    @cached_property
    def write_in_values(self) -> frozenset[str]:
        return frozenset(o.value for o in self.options if o.write_in)

    @cached_property
    def choice_ids(self) -> dict[str, int]:
        """Each Choice row's id by its value (an "Other" offered without a row has none)."""
        return {c.value: c.pk for c in self.question.choices.all()}

    @cached_property
    def row_ids(self) -> dict[str, int]:
        """Each grid row's id by its value."""
        return {row.value: row.pk for row in self.rows}

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass
class PageSpec:
    page: Page
    step: str
    rule: Rule | None
    questions: list[QuestionSpec]

    @property
    def section(self) -> str:
        return self.page.section

    @property
    def is_equality_intro(self) -> bool:
        return self.page.section == Page.Section.EQUALITY_INTRO

    @property
    def is_equality(self) -> bool:
        return self.page.section == Page.Section.EQUALITY

    @cached_property
    def depends_on(self) -> tuple[str, ...]:
        """Keys of the answers that decide which of this page's questions are shown."""
        return tuple(sorted({q.rule.question_key for q in self.questions if q.rule}))


@dataclass
class SurveyStructure:
    survey: Survey
    pages: list[PageSpec]
    # The survey's structure version these pages were loaded under (surveys/structure_cache.py).
    version: int = 0

    @cached_property
    def steps(self) -> dict[str, PageSpec]:
        return {p.step: p for p in self.pages}

    @cached_property
    def questions(self) -> list[QuestionSpec]:
        return [q for p in self.pages for q in p.questions]

    @cached_property
    def has_equality_section(self) -> bool:
        return any(p.section != Page.Section.CONSULTATION for p in self.pages)

    @cached_property
    def equality_questions(self) -> list[Question]:
        """The "About you" questions (those with an equality characteristic), in order."""
        return [q.question for q in self.questions if q.question.equality_key]

    # What is worked out from the pages alone: shared by every copy of a structure kept in memory
    # (surveys/structure_cache.py), not worked out again for each request.
    DERIVED: ClassVar[tuple[str, ...]] = ("steps", "questions", "has_equality_section", "equality_questions")


def _rule(item: ConditionalDisplay) -> Rule | None:
    if item.condition_question is None or not item.condition_operator:
        return None
    return Rule(
        question_key=item.condition_question.key,
        operator=item.condition_operator,
        values=tuple(str(v) for v in item.condition_values or []),
    )


def _options(question: Question) -> list[ChoiceOption]:
    choices = list(question.choices.all())
    if question.type == Question.Type.AGREEMENT and not choices:
        return [ChoiceOption(value, label) for value, label in DEFAULT_AGREEMENT_CHOICES]
    # A grid's rows share one scale: a write-in ("Other, please specify") has no place on it.
    writes_in = question.type != Question.Type.GRID
    allow_other = question.allow_other and writes_in
    options = []
    for c in choices:
        is_other = allow_other and c.value == OTHER
        write_in = (c.write_in or is_other) and writes_in
        options.append(ChoiceOption(c.value, c.label, c.group, write_in=write_in, is_other=is_other))
    if allow_other and not any(o.is_other for o in options):
        # No row for it: offer it anyway, so officers need only tick "allow other".
        options.append(ChoiceOption(OTHER, "Other (please specify)", write_in=True, is_other=True))
    return options


def step_name(page: Page) -> str:
    """A page's step in the journey's URLs: its position, which officers see in the page list too."""
    return str(page.position)


def survey_structure_get(*, survey: Survey) -> SurveyStructure:
    """The survey's pages, questions, choices and rules, loaded in a fixed number of queries, labelled with
    the structure version read with `survey` (before them: a change committed in between gives a newer
    structure an older label, which is then loaded again, never the other way round)."""
    questions = Question.objects.select_related("condition_question").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position")),
        Prefetch("grid_rows", queryset=GridRow.objects.order_by("position")),
    )
    pages = (
        Page.objects.filter(survey=survey)
        .select_related("condition_question")
        .prefetch_related(Prefetch("questions", queryset=questions.order_by("position")))
        .order_by("position")
    )
    specs = []
    for page in pages:
        specs.append(
            PageSpec(
                page=page,
                step=step_name(page),
                rule=_rule(page),
                questions=[
                    QuestionSpec(question=q, rule=_rule(q), options=_options(q), rows=list(q.grid_rows.all()))
                    for q in page.questions.all()
                ],
            )
        )
    return SurveyStructure(survey=survey, pages=specs, version=survey.structure_version)


_survey_by_slug = OneRow(Survey, "slug")


def survey_public_get(*, slug: str) -> Survey | None:
    """A survey residents may see: anything but a draft.

    Run on every resident's request, and read afresh each time: the slug is unique, so the row is
    fetched without ordering, by SQL the ORM compiled once (common/prepared.py), and its status checked
    here."""
    survey = _survey_by_slug.get(slug)
    return None if survey is None or survey.status == Survey.Status.DRAFT else survey


def survey_list_open(*, now: dt.datetime | None = None) -> QuerySet[Survey]:
    """Surveys residents can answer now (the API's public list and structure)."""
    now = now or timezone.now()
    return (
        Survey.objects.filter(status=Survey.Status.OPEN)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("closes_at", "title")
    )


def response_get_by_submission_key(*, survey: Survey, submission_key: str) -> Response | None:
    """The response a journey sent, if any. A posted key that no journey could have (too long, or with a
    NUL character, which PostgreSQL cannot even compare) matches nothing."""
    max_length = Response._meta.get_field("submission_key").max_length or 0
    if not submission_key or len(submission_key) > max_length or "\x00" in submission_key:
        return None
    return _response_by_submission_key.get(survey.pk, submission_key)


# "Check your answers" asks on every showing whether its journey was sent already (common/prepared.py:
# compiled once per connection). The unique constraint on (survey, submission_key) picks one row at most.
_response_by_submission_key = OneRow(Response, "survey_id", "submission_key")


def saved_journey_by_id(*, survey: Survey, pk: object) -> SavedJourney | None:
    if not isinstance(pk, int):
        return None
    return SavedJourney.objects.filter(survey=survey, pk=pk).first()


def saved_journey_get(*, survey: Survey, token_hash: str, now: dt.datetime | None = None) -> SavedJourney | None:
    """The saved journey for this token on this survey, if it has not expired."""
    now = now or timezone.now()
    return SavedJourney.objects.filter(survey=survey, token_hash=token_hash, expires_at__gt=now).first()
