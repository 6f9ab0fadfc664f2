"""Writes for the "About you" section: adding it to a survey, storing answers, deleting them on time."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from representativeness.selectors import council_wards
from surveys.equality.kept_counts import kept_counts_forget
from surveys.equality.library import (
    DEFAULT_SECTION_INTRODUCTION,
    LIBRARY_VERSION,
    PREFER_NOT_TO_SAY,
    QUESTIONS_BY_KEY,
    STANDARD_QUESTIONS,
    StandardQuestion,
)
from surveys.equality.mapping import SKIPPED
from surveys.models import Choice, Condition, EqualityProfile, Page, Question, Response, Survey

DEFAULT_SECTION_KEYS: tuple[str, ...] = tuple(q.key for q in STANDARD_QUESTIONS)


class EqualitySectionError(ValueError):
    pass


# Longer than any retention schedule, and far inside what dates can hold.
MAX_RETENTION_DAYS = 36_500


class RetentionPeriodError(ValueError):
    pass


def _check_keys(keys: list[str]) -> None:
    unknown = [k for k in keys if k not in QUESTIONS_BY_KEY]
    if unknown:
        raise EqualitySectionError(f"Unknown standard question(s): {', '.join(unknown)}.")
    if len(set(keys)) != len(keys):
        raise EqualitySectionError("Each standard question can be added once.")
    for key in keys:
        follows = QUESTIONS_BY_KEY[key].follows
        if follows and (follows[0] not in keys or keys.index(follows[0]) > keys.index(key)):
            raise EqualitySectionError(
                f'"{QUESTIONS_BY_KEY[key].text}" follows "{QUESTIONS_BY_KEY[follows[0]].text}": add that first.'
            )


def survey_council_code(survey: Survey) -> str:
    """The council a survey is for: the area its report compares with, else the council's own."""
    return survey.report_area_code or settings.COUNCIL["area_code"]


def _wards(survey: Survey) -> list[tuple[str, str]]:
    return council_wards(council_code=survey_council_code(survey))


def _add_choices(question: Question, standard: StandardQuestion, wards: list[tuple[str, str]]) -> None:
    if standard.key == "area":
        areas: Iterable[tuple[str, str, str, bool]] = ((code, name, "", False) for code, name in wards)
        rows = [*areas, (PREFER_NOT_TO_SAY, "Prefer not to say", "", False)]
    else:
        rows = [(o.value, o.label, o.group, o.write_in) for o in standard.options]
    Choice.objects.bulk_create(
        Choice(question=question, position=i, value=value, label=label, group=group, write_in=write_in)
        for i, (value, label, group, write_in) in enumerate(rows, start=1)
    )


@transaction.atomic
def equality_section_add(
    *,
    survey: Survey,
    keys: list[str] | None = None,
    introduction: str = DEFAULT_SECTION_INTRODUCTION,
    explanations: Mapping[str, tuple[str, str]] | None = None,
) -> list[Page]:
    """Append the "About you" section to a survey: an introduction page, then one page per question.

    Replaces any section the survey already has. Questions a later one follows (disability after a
    long-term condition) must come first; questions for people aged 16 or over are routed past
    respondents whose date of birth makes them younger. `explanations` replaces the default "Why we
    ask" and "How we use your answer" texts of named questions: {key: (why, how)}.
    """
    wards = _wards(survey)
    if keys is None:
        # Without wards loaded for the survey's council, there is no ward to offer: leave the question out.
        keys = [key for key in DEFAULT_SECTION_KEYS if key != "area" or wards]
    keys = list(keys)
    _check_keys(keys)
    if "area" in keys and not wards:
        raise EqualitySectionError(
            f"No wards are loaded for the survey's council ({survey_council_code(survey)}), so residents cannot "
            "be asked which ward they live in: leave that question out, or load the council's ward baselines "
            "(import_census FILE --council CODE)."
        )
    equality_section_remove(survey=survey)
    next_position = (survey.pages.aggregate(top=Max("position"))["top"] or 0) + 1
    pages = [
        Page.objects.create(
            survey=survey,
            position=next_position,
            title="About you",
            introduction=introduction,
            section=Page.Section.EQUALITY_INTRO,
        )
    ]
    created: dict[str, Question] = {}
    for offset, key in enumerate(keys, start=1):
        standard = QUESTIONS_BY_KEY[key]
        why, how = (explanations or {}).get(key, (standard.why_we_ask, standard.how_we_use))
        page = Page(survey=survey, position=next_position + offset, title=standard.text, section=Page.Section.EQUALITY)
        if standard.follows:
            page.condition_question = created[standard.follows[0]]
            page.condition_operator = Condition.EQUALS
            page.condition_values = [standard.follows[1]]
        elif standard.minimum_age and "date_of_birth" in created:
            page.condition_question = created["date_of_birth"]
            page.condition_operator = Condition.AGE_AT_LEAST_OR_UNKNOWN
            page.condition_values = [str(standard.minimum_age)]
        page.save()
        question = Question.objects.create(
            page=page,
            position=1,
            key=f"about_you_{key}",
            text=standard.text,
            hint=standard.hint,
            type=standard.question_type,
            required=False,
            allow_prefer_not_to_say=standard.question_type == Question.Type.DATE_OF_BIRTH,
            equality_key=key,
            answer_name=standard.answer_name,
            why_we_ask=why.strip() or standard.why_we_ask,
            how_we_use=how.strip() or standard.how_we_use,
        )
        _add_choices(question, standard, wards)
        created[key] = question
        pages.append(page)
    return pages


@transaction.atomic
def equality_section_remove(*, survey: Survey) -> None:
    """Remove the survey's "About you" pages (their answers live on in EqualityProfile rows)."""
    section = survey.pages.exclude(section=Page.Section.CONSULTATION)
    # Follow-up pages point at earlier questions in the section; clear those links before deleting.
    section.update(condition_question=None)
    Question.objects.filter(page__in=section).update(condition_question=None)
    section.delete()


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _age_fields(answer: Any, submitted_on: dt.date) -> dict[str, Any]:
    if not isinstance(answer, Mapping):
        return {"age": None, "age_status": SKIPPED}
    if answer.get("prefer_not_to_say"):
        return {"age": None, "age_status": PREFER_NOT_TO_SAY}
    if answer.get("date_of_birth"):
        birth = dt.date.fromisoformat(answer["date_of_birth"])
        return {"age": _age_on(birth, submitted_on), "age_status": "answered"}
    if answer.get("age") not in (None, ""):
        return {"age": int(answer["age"]), "age_status": "answered"}
    return {"age": None, "age_status": SKIPPED}


def _choice_value(question: Question, answer: Any) -> str:
    if answer in (None, ""):
        return SKIPPED
    value = str(answer)
    if value not in {c.value for c in question.choices.all()}:
        raise ValueError(f"{value!r} is not an option of {question.key}")
    return value


def equality_questions(*, survey_id: UUID | str) -> list[Question]:
    """The survey's "About you" questions, with their options."""
    return list(Question.objects.filter(page__survey_id=survey_id).exclude(equality_key="").prefetch_related("choices"))


def equality_answer_fields(*, questions: Iterable[Question], answers: Mapping[str, Any], on: dt.date) -> dict[str, Any]:
    """One person's "About you" answers as EqualityAnswers columns (ages worked out on the day `on`).

    `answers` holds the normalised answers of the equality questions the person was shown, by question
    key. A question they were shown and left blank is "skipped"; one they were not shown (routed past)
    stays null, "not asked".
    """
    fields: dict[str, Any] = {}
    write_ins: dict[str, str] = {}
    for question in questions:
        if question.key not in answers:
            continue
        answer = answers[question.key]
        if question.type == Question.Type.DATE_OF_BIRTH:
            fields.update(_age_fields(answer, on))
            continue
        characteristic = QUESTIONS_BY_KEY[question.equality_key].characteristic
        fields[characteristic] = _choice_value(question, answer)
        other_text = str(answers.get(f"{question.key}__other") or "").strip()
        if other_text:
            write_ins[characteristic] = other_text
    return {**fields, "write_ins": write_ins, "library_version": LIBRARY_VERSION}


def equality_profile_create(
    *,
    response: Response,
    answers: Mapping[str, Any],
    section_skipped: bool,
    questions: list[Question] | None = None,
) -> EqualityProfile | None:
    """Store a response's "About you" answers, apart from its consultation answers.

    `answers` as for `equality_answer_fields`; none are read when the resident skipped the whole section.
    `questions`: the survey's "About you" questions with their choices, when the caller has them
    (`equality_questions`). Returns None for a survey without the section.
    """
    values = equality_profile_values(
        response=response, answers=answers, section_skipped=section_skipped, questions=questions
    )
    if values is None:
        return None
    profile = EqualityProfile(**values)
    profile.save(force_insert=True)
    return profile


def equality_profile_values(
    *,
    response: Response,
    answers: Mapping[str, Any],
    section_skipped: bool,
    questions: list[Question] | None = None,
) -> dict[str, Any] | None:
    """The EqualityProfile `equality_profile_create` stores, as its fields' values by attribute name
    (`survey_id`): sending writes them with the response's other rows, without an instance
    (surveys/services.py, common/rows.py)."""
    if questions is None:
        questions = equality_questions(survey_id=response.survey_id)
    if not questions:
        return None
    fields = equality_answer_fields(
        questions=questions,
        answers={} if section_skipped else answers,
        on=timezone.localdate(response.submitted_at),
    )
    return {
        "response_id": response.pk,
        "survey_id": response.survey_id,
        "channel": response.channel,
        "submitted_at": response.submitted_at,
        "section_skipped": section_skipped,
        **fields,
    }


def equality_answers_purge(*, now: dt.datetime | None = None, retention_days: int | None = None) -> dict[str, int]:
    """Delete "About you" answers once a survey has been closed for the retention period.

    Surveys with no closing date are never due: they have not closed. Consultation answers are kept.
    Returns how many records were deleted and from how many surveys.
    """
    now = now or timezone.now()
    days = settings.EQUALITY_RETENTION_DAYS if retention_days is None else retention_days
    if not 0 <= days <= MAX_RETENTION_DAYS:
        raise RetentionPeriodError(
            f"The retention period must be a whole number of days from 0 to {MAX_RETENTION_DAYS:,} (100 years)."
        )
    cutoff = now - dt.timedelta(days=days)
    due = EqualityProfile.objects.filter(survey__closes_at__isnull=False, survey__closes_at__lte=cutoff)
    with transaction.atomic():
        survey_ids = list(due.values_list("survey_id", flat=True).distinct())
        deleted, _ = due.delete()
        kept_counts_forget(survey_ids=survey_ids)  # counted from the answers deleted
    surveys = len(survey_ids)
    return {"deleted": deleted, "surveys": surveys}
