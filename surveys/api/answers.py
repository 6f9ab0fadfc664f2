"""Answers sent as JSON, validated exactly as the web journey validates them.

Each page the resident would see (surveys/routing.py, on the answers so far) is validated by the
journey's own page form (surveys/forms/page.py): the same required questions, limits, routing,
write-ins, "Prefer not to say" rules and messages. Answers to questions routing hides are ignored,
as on the web; a key that is no question of the survey is an error.

JSON shapes, by question key:

- short or long text, email, postcode: a string
- single choice, dropdown, agreement: an option's value; multiple choice: a list of values
- a write-in option's text ("Other (please specify)"): "<key>__other": a string
- number: a number or a string of one; date: "YYYY-MM-DD"; either may be "prefer_not_to_say" where offered
- grid: {row value: option value}
- date of birth: {"date_of_birth": "YYYY-MM-DD"} or {"age": 42} or {"prefer_not_to_say": true}
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from surveys import routing
from surveys.forms.page import AGE_SUFFIX, OTHER_SUFFIX, PNTS_SUFFIX, ROW_SUFFIX, PageForm, offers_prefer_not_to_say
from surveys.models import Question
from surveys.selectors import PREFER_NOT_TO_SAY, PageSpec, QuestionSpec, SurveyStructure

Type = Question.Type
TEXT_TYPES = {Type.SHORT_TEXT, Type.LONG_TEXT, Type.EMAIL, Type.POSTCODE}
ONE_OPTION_TYPES = {Type.SINGLE_CHOICE, Type.DROPDOWN, Type.AGREEMENT}


class _Shape(ValueError):
    """An answer of the wrong JSON shape; the message says what was expected."""


@dataclass
class ValidatedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _Shape(f"{what} must be text")
    return value


def _date_parts(value: Any, key: str) -> dict[str, str]:
    text = _text(value, "A date")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise _Shape("A date must be written YYYY-MM-DD, like 2026-03-31") from None
    return {f"{key}_day": str(day.day), f"{key}_month": str(day.month), f"{key}_year": str(day.year)}


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _Shape("A number must be a number, like 12 or 3.5")
    return str(value)


def form_data(q: QuestionSpec, value: Any, other: Any) -> dict[str, Any]:
    """The web form's fields for one answer (raising _Shape when the JSON cannot be one)."""
    key = q.key
    data: dict[str, Any] = {}
    if other is not None:
        data[key + OTHER_SUFFIX] = _text(other, "The other answer")
    if value is None:
        return data
    if q.type in TEXT_TYPES:
        data[key] = _text(value, "The answer")
    elif q.type in ONE_OPTION_TYPES:
        data[key] = _text(value, "The answer (an option's value)")
    elif q.type == Type.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _Shape("The answer must be a list of options' values")
        data[key] = value
    elif q.type in (Type.NUMBER, Type.DATE) and value == PREFER_NOT_TO_SAY:
        if not offers_prefer_not_to_say(q):  # the web page has no box for it: never drop the answer silently
            raise _Shape("“Prefer not to say” is not offered for this question.")
        data[key + PNTS_SUFFIX] = True
    elif q.type == Type.NUMBER:
        data[key] = _number(value)
    elif q.type == Type.DATE:
        data.update(_date_parts(value, key))
    elif q.type == Type.GRID:
        if not isinstance(value, dict):
            raise _Shape("The answer must be an object: each row's value with the chosen option's value")
        rows = {row.value for row in q.rows}
        for row, choice in value.items():
            if row not in rows:
                raise _Shape(f"“{row}” is not a row of this question")
            data[f"{key}{ROW_SUFFIX}{row}"] = _text(choice, "Each row's answer (an option's value)")
    elif q.type == Type.DATE_OF_BIRTH:
        if not isinstance(value, dict) or set(value) - {"date_of_birth", "age", "prefer_not_to_say"}:
            raise _Shape(
                'The answer must be {"date_of_birth": "YYYY-MM-DD"}, {"age": 42} or {"prefer_not_to_say": true}'
            )
        if value.get("date_of_birth") is not None:
            data.update(_date_parts(value["date_of_birth"], key))
        if value.get("age") is not None:
            age = value["age"]
            if isinstance(age, bool) or not isinstance(age, int):
                raise _Shape("An age must be a whole number, like 42")
            data[key + AGE_SUFFIX] = str(age)
        if value.get("prefer_not_to_say") is True:
            data[key + PNTS_SUFFIX] = True
    return data


def _field_path(q: QuestionSpec, form_field: str) -> str:
    """Where an error on a form field points in the JSON: answers.<key>, answers.<key>__other, answers.<key>.<row>."""
    if form_field.startswith(q.key + ROW_SUFFIX):
        return f"answers.{q.key}.{form_field.removeprefix(q.key + ROW_SUFFIX)}"
    if form_field in (q.key + AGE_SUFFIX, q.key + PNTS_SUFFIX):
        return f"answers.{q.key}"
    return f"answers.{form_field}"


def answers_validate(
    *, structure: SurveyStructure, sent: Mapping[str, Any], equality_skipped: bool, today: dt.date
) -> ValidatedAnswers:
    """The normalised answers (surveys/forms/page.py) of every page the resident would see, or the errors
    by JSON path. Every shown page is checked, so all errors come back at once."""
    result = ValidatedAnswers()
    questions = {q.key: q for q in structure.questions}
    for key in sent:
        if key.removesuffix(OTHER_SUFFIX) not in questions:
            result.errors[f"answers.{key}"] = [f"There is no question “{key}” in this survey."]
    shape_errors: dict[str, str] = {}
    page_data: dict[str, dict[str, Any]] = {}
    for page in structure.pages:
        data: dict[str, Any] = {}
        for q in page.questions:
            try:
                data.update(form_data(q, sent.get(q.key), sent.get(q.key + OTHER_SUFFIX)))
            except _Shape as error:
                shape_errors[q.key] = str(error)
        page_data[page.step] = data

    def answers_for(page: PageSpec, prior: Mapping[str, Any]) -> Mapping[str, Any] | None:
        form = PageForm(data=page_data[page.step], page=page, prior_answers=prior, today=today)
        valid = form.is_valid()
        shown = {q.key for q in form.shown_questions}
        for key in shown & set(shape_errors):
            result.errors[f"answers.{key}"] = [shape_errors[key]]
        for q in form.questions:
            for name in form.field_names(q):
                for message in form.errors.get(name, []):
                    result.errors.setdefault(_field_path(q, name), []).append(message)
        if not valid or shown & set(shape_errors):
            return None
        return form.answers

    route = routing.route([p for p in structure.pages], answers_for, equality_skipped=equality_skipped, today=today)
    result.answers = route.answers
    return result
