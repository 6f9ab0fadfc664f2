"""Synthetic responses for demonstrations and benchmarks.

The respondents are drawn to look like a typical self-selected consultation rather than the
population: older, more often women, more often White British, with fewer young people, fewer
Pakistani and Black residents and fewer people who do not speak English well. Their answers to the
closed consultation questions depend on age, so weighting to the census visibly changes results.
Nothing here is real data, and every synthetic response's reference starts with "SY".
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from surveys.equality.library import LIBRARY_VERSION, PREFER_NOT_TO_SAY
from surveys.equality.mapping import SKIPPED
from surveys.models import Answer, Channel, Choice, EqualityProfile, Question, Response, Survey

BATCH_SIZE = 5_000
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U

# Relative chances of each answer; options not named get `_OTHERWISE`. Skews are deliberate.
_SKEWS: dict[str, dict[str, float]] = {
    "sex": {"female": 62, "male": 38},
    "gender_identity": {"yes": 98.6, "no": 0.4},
    "sexual_orientation": {"straight": 93, "gay_lesbian": 2.5, "bisexual": 1.5, "other": 0.5},
    "ethnic_group": {
        "white_british": 86,
        "white_irish": 1.5,
        "other_white": 3,
        "indian": 2.5,
        "pakistani": 1.2,
        "chinese": 0.8,
        "african": 0.6,
        "caribbean": 0.6,
        "white_black_caribbean": 0.5,
        "white_asian": 0.5,
    },
    "long_term_condition": {"yes": 38, "no": 62},
    "disability": {"a_lot": 30, "a_little": 40, "not_at_all": 30},
    "religion": {"no_religion": 30, "christian": 58, "muslim": 4, "hindu": 1.5, "jewish": 1.5, "sikh": 0.5},
    "unpaid_care": {"no": 80, "9_or_less": 9, "10_to_19": 4, "20_to_34": 3, "35_to_49": 2, "50_or_more": 2},
    "main_language": {"english": 96, "other": 4},
    "english_proficiency": {"very_well": 60, "well": 30, "not_well": 8, "not_at_all": 2},
    "marital_status": {"married": 55, "never_married": 25, "divorced": 10, "widowed": 8},
    "pregnancy": {"yes": 2, "no": 98},
}
_OTHERWISE = 0.2
_PREFER_NOT_TO_SAY = 0.03
_SKIP = 0.03
# Ages of respondents: many more people in their 50s to 70s than the census has.
_AGE_BANDS = [(16, 24, 4), (25, 34, 9), (35, 44, 15), (45, 54, 19), (55, 64, 23), (65, 74, 20), (75, 95, 10)]


def _reference(seed: int, index: int) -> str:
    number = seed * 32**7 + index
    digits = []
    for _ in range(10):
        number, digit = divmod(number, 32)
        digits.append(_ALPHABET[digit])
    return "SY" + "".join(reversed(digits))


def _draw(rng: np.random.Generator, values: list[str], skew: dict[str, float], size: int) -> np.ndarray:
    chances = np.array([skew.get(v, _OTHERWISE) for v in values], dtype=float)
    answered = rng.choice(np.array(values, dtype=object), p=chances / chances.sum(), size=size)
    special = rng.random(size)
    answered[special < _PREFER_NOT_TO_SAY + _SKIP] = SKIPPED
    answered[special < _PREFER_NOT_TO_SAY] = PREFER_NOT_TO_SAY
    return answered


def _ages(rng: np.random.Generator, size: int, minimum_age: int) -> np.ndarray:
    weights = np.array([w for _, _, w in _AGE_BANDS], dtype=float)
    band = rng.choice(len(_AGE_BANDS), p=weights / weights.sum(), size=size)
    low = np.array([lo for lo, _, _ in _AGE_BANDS])[band]
    high = np.array([hi for _, hi, _ in _AGE_BANDS])[band]
    return np.maximum(rng.integers(low, high + 1), minimum_age)


def _profiles(survey: Survey, rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Column arrays of synthetic "About you" answers for the questions the survey asks."""
    columns: dict[str, np.ndarray] = {}
    questions = Question.objects.filter(page__survey=survey).exclude(equality_key="").prefetch_related("choices")
    for question in questions:
        if question.type == Question.Type.DATE_OF_BIRTH:
            columns["age"] = _ages(rng, size, survey.minimum_age)
            continue
        values = [c.value for c in question.choices.all() if c.value != PREFER_NOT_TO_SAY]
        skew = _SKEWS.get(question.equality_key, {})
        if question.equality_key == "area":  # the first wards listed answer much more than the last
            skew = {v: 1 / (i + 1) for i, v in enumerate(values)}
        columns[question.equality_key] = _draw(rng, values, skew, size)
    # Follow-up questions are only asked after a particular answer.
    for follow_up, first, leads_on in [
        ("disability", "long_term_condition", "yes"),
        ("english_proficiency", "main_language", "other"),
    ]:
        if follow_up in columns and first in columns:
            columns[follow_up] = np.where(columns[first] == leads_on, columns[follow_up], None)
    return columns


_ONE_ANSWER = (Question.Type.SINGLE_CHOICE, Question.Type.AGREEMENT, Question.Type.DROPDOWN)


def _closed_questions(survey: Survey, types: tuple[str, ...] = _ONE_ANSWER) -> list[tuple[Question, list[Choice]]]:
    questions = Question.objects.filter(page__survey=survey, equality_key="", type__in=types)
    return [(q, list(q.choices.exclude(value=PREFER_NOT_TO_SAY))) for q in questions.prefetch_related("choices")]


def _answer_choice(rng: np.random.Generator, choices: list[Choice], ages: np.ndarray) -> np.ndarray:
    """Pick an answer index per respondent; older respondents lean to the first options, younger to the last."""
    k = len(choices)
    lean = np.clip((ages - 50) / 30, -1, 1)  # -1 young, +1 old
    position = np.linspace(1, -1, k)
    logits = np.outer(lean, position) * 1.5
    chances = np.exp(logits)
    chances /= chances.sum(axis=1, keepdims=True)
    cumulative = chances.cumsum(axis=1)
    return (rng.random((len(ages), 1)) > cumulative).sum(axis=1).clip(0, k - 1)


def _insert(model: type[Model], names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT rows straight into a model's table: bulk_create's per-object work dominates at a million rows.

    Values go through each field's own conversion for the database in use (UUIDs, times, JSON).
    """
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    prepared = [
        tuple(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True))
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({placeholders})", prepared)


def _batches(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, BATCH_SIZE):
        yield start, min(start + BATCH_SIZE, total)


def _value(array: np.ndarray | None, i: int) -> Any:
    if array is None:
        return None
    value = array[i]
    return None if value is None else (value.item() if hasattr(value, "item") else value)


def _ticks(rng: np.random.Generator, choices: list[Choice], ages: np.ndarray) -> np.ndarray:
    """Whether each respondent ticks each option (respondents by options): each option on its own, older
    respondents leaning to the first options and younger to the last, as `_answer_choice`; some tick none
    (they did not answer the question)."""
    lean = np.clip((ages - 50) / 30, -1, 1)
    chances = 1 / (1 + np.exp(-np.outer(lean, np.linspace(1, -1, len(choices))) * 1.5))
    return rng.random((len(ages), len(choices))) < chances * 0.6


def responses_generate(
    *,
    survey: Survey,
    count: int,
    seed: int,
    with_answers: bool = True,
    multiple_choice: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `count` synthetic responses to a survey. The same seed gives the same responses.

    `multiple_choice`: answer the multiple-choice questions too (each option ticked or not; the benchmarks
    ask for it). Off by default, so the demo's responses, and its figures, stay as they were.
    Each batch is one transaction; `progress`, if given, is told how many have been added after each.
    Returns how many responses were added.
    """
    if count < 1:
        raise ValueError("Count must be at least 1.")
    if Response.objects.filter(survey=survey, submission_key=f"synthetic-{seed}-0").exists():
        raise ValueError(f"Synthetic responses with seed {seed} are already in this survey: choose another seed.")
    rng = np.random.default_rng(seed)
    profiles = _profiles(survey, rng, count)
    ages = profiles.get("age", _ages(rng, count, survey.minimum_age))
    closed = _closed_questions(survey) if with_answers else []
    picks = [(q, choices, _answer_choice(rng, choices, ages)) for q, choices in closed if choices]
    # Ticks come from a generator of their own (from the same seed), so the rest of the responses are
    # the same with them or without.
    ticking = np.random.default_rng([seed, 1])
    ticks = (
        [
            (q, choices, _ticks(ticking, choices, ages))
            for q, choices in _closed_questions(survey, (Question.Type.MULTIPLE_CHOICE,))
            if choices
        ]
        if with_answers and multiple_choice
        else []
    )
    channels = rng.choice(
        np.array([Channel.ONLINE, Channel.PAPER, Channel.EVENT], dtype=object), p=[0.85, 0.1, 0.05], size=count
    )
    start = survey.opens_at or (timezone.now() - dt.timedelta(days=28))
    end = min(survey.closes_at or timezone.now(), timezone.now())
    offsets = rng.random(count) * max((end - start).total_seconds(), 1.0)
    profile_columns = list(profiles)
    for low, high in _batches(count):
        ids = [uuid.UUID(bytes=rng.bytes(16), version=4) for _ in range(low, high)]
        times = [start + dt.timedelta(seconds=float(offsets[i])) for i in range(low, high)]
        with transaction.atomic():
            _insert(
                Response,
                ["id", "survey", "reference", "submission_key", "channel", "submitted_at"],
                [
                    (ids[j], survey.pk, _reference(seed, i), f"synthetic-{seed}-{i}", str(channels[i]), times[j])
                    for j, i in enumerate(range(low, high))
                ],
            )
            if profile_columns:
                _insert(
                    EqualityProfile,
                    [
                        "response",
                        "survey",
                        "channel",
                        "submitted_at",
                        "section_skipped",
                        "age_status",
                        "write_ins",
                        "library_version",
                        *profile_columns,
                    ],
                    [
                        (
                            ids[j],
                            survey.pk,
                            str(channels[i]),
                            times[j],
                            False,
                            "answered" if "age" in profiles else "",
                            {},
                            LIBRARY_VERSION,
                            *(_value(profiles[c], i) for c in profile_columns),
                        )
                        for j, i in enumerate(range(low, high))
                    ],
                )
            answers = [
                (ids[j], question.pk, choices[int(pick[i])].pk, "")
                for question, choices, pick in picks
                for j, i in enumerate(range(low, high))
            ] + [
                (ids[j], question.pk, choice.pk, "")
                for question, choices, ticked in ticks
                for j, i in enumerate(range(low, high))
                for choice, tick in zip(choices, ticked[i], strict=True)
                if tick
            ]
            if answers:
                _insert(Answer, ["response", "question", "choice", "text"], answers)
        if progress is not None:
            progress(high)
    return count
