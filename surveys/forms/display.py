"""Normalised answers as residents read them back on "Check your answers"."""

import datetime as dt
from typing import Any

from django.utils.formats import date_format

from surveys.forms.page import OTHER_SUFFIX
from surveys.models import Question
from surveys.selectors import PREFER_NOT_TO_SAY, QuestionSpec

NOT_ANSWERED = "Not answered"
Type = Question.Type


def _date(iso: str) -> str:
    return date_format(dt.date.fromisoformat(iso), "j F Y")


def answer_lines(q: QuestionSpec, answers: dict[str, Any]) -> list[str]:
    """The answer to one question as lines of text (several for a multiple choice or a grid)."""
    value = answers.get(q.key)
    other = answers.get(q.key + OTHER_SUFFIX, "")

    def label(v: str) -> str:
        text = q.option_label(v)
        return f"{text}: {other}" if other and v in {o.value for o in q.write_in_options} else text

    if value in (None, "", [], {}):
        return [NOT_ANSWERED]
    if value == PREFER_NOT_TO_SAY and q.type in (Type.NUMBER, Type.DATE):
        return ["Prefer not to say"]
    if q.type in (Type.SINGLE_CHOICE, Type.DROPDOWN, Type.AGREEMENT):
        return [label(value)]
    if q.type == Type.MULTIPLE_CHOICE:
        return [label(v) for v in value]
    if q.type == Type.DATE:
        return [_date(value)]
    if q.type == Type.GRID:
        rows = {row.value: row.label for row in q.rows}
        return [f"{rows.get(r, r)}: {q.option_label(v) if v else NOT_ANSWERED}" for r, v in value.items()]
    if q.type == Type.DATE_OF_BIRTH:
        if value.get("prefer_not_to_say"):
            return ["Prefer not to say"]
        if value.get("date_of_birth"):
            return [_date(value["date_of_birth"])]
        if value.get("age") is not None:
            return [f"Age {value['age']}"]
        return [NOT_ANSWERED]
    return str(value).splitlines() or [NOT_ANSWERED]


def answer_rows(q: QuestionSpec, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """One summary-list row per question (as "Check your answers" makes them: surveys/wizard/check.py)."""
    return [{"question": q.question.text, "lines": answer_lines(q, answers), "key": q.key}]
