"""Which pages and questions a resident sees, given the answers they have given so far.

Pure functions over plain values: no database, no request. The wizard calls them with the
normalised answers (see `surveys.forms.page`), so the same rules decide what is shown, what is
validated and what is stored. Anything hidden is never validated or stored.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

EQUALS = "equals"
ONE_OF = "one_of"
INCLUDES = "includes"
AGE_AT_LEAST_OR_UNKNOWN = "age_at_least_or_unknown"

EQUALITY_SECTION = "equality"


@dataclass(frozen=True)
class Rule:
    """Show something only when the answer to `question_key` matches `values` by `operator`."""

    question_key: str
    operator: str
    values: tuple[str, ...]


class Routable(Protocol):
    @property
    def rule(self) -> Rule | None: ...


class RoutablePage(Routable, Protocol):
    @property
    def step(self) -> str: ...

    @property
    def section(self) -> str: ...


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_from_answer(answer: Any, *, today: dt.date) -> int | None:
    """The age an answer gives: a date-of-birth answer (date or age) or a plain number; None if unknown."""
    if isinstance(answer, Mapping):
        if answer.get("prefer_not_to_say"):
            return None
        if answer.get("date_of_birth"):
            return age_on(dt.date.fromisoformat(answer["date_of_birth"]), today)
        age = answer.get("age")
        return int(age) if age not in (None, "") else None
    if isinstance(answer, str) and answer not in ("", "prefer_not_to_say"):
        try:
            return int(Decimal(answer))
        except InvalidOperation:
            return None
    return None


def condition_met(rule: Rule, answers: Mapping[str, Any], *, today: dt.date) -> bool:
    """Whether the rule holds. An unanswered (or hidden) question matches nothing, except that the age
    rule lets people through whose age is unknown: an optional age question must not lock them out."""
    answer = answers.get(rule.question_key)
    if rule.operator == AGE_AT_LEAST_OR_UNKNOWN:
        age = age_from_answer(answer, today=today)
        return age is None or age >= int(rule.values[0])
    if answer in (None, "", [], {}):
        return False
    selected = {str(a) for a in answer} if isinstance(answer, list | tuple) else {str(answer)}
    if rule.operator == EQUALS:
        return selected == {rule.values[0]} if rule.values else False
    if rule.operator in (ONE_OF, INCLUDES):
        # "is one of" for a single answer, "includes" for a multiple-choice one: any overlap matches.
        return bool(selected & set(rule.values))
    raise ValueError(f"Unknown condition operator {rule.operator!r}")


def is_shown(rule: Rule | None, answers: Mapping[str, Any], *, today: dt.date) -> bool:
    return rule is None or condition_met(rule, answers, today=today)


def page_is_shown(page: RoutablePage, answers: Mapping[str, Any], *, equality_skipped: bool, today: dt.date) -> bool:
    if equality_skipped and page.section == EQUALITY_SECTION:
        return False
    return is_shown(page.rule, answers, today=today)


@dataclass
class Route:
    """The pages this resident will see, in order, and their answers to the pages they have completed."""

    steps: list[str]
    answers: dict[str, Any]
    answers_by_step: dict[str, dict[str, Any]]


def route(
    pages: Sequence[RoutablePage],
    answers_for: Callable[[RoutablePage, Mapping[str, Any]], Mapping[str, Any] | None],
    *,
    equality_skipped: bool,
    today: dt.date,
    equality_stopped_at: str | None = None,
) -> Route:
    """Walk the pages in order, keeping those shown given the answers to the pages before them.

    `answers_for(page, answers_so_far)` returns the page's valid answers (None when the page has not
    been answered, or its stored answers no longer validate); only shown pages are asked, so answers
    left behind on pages the resident has since routed away from are ignored. A resident who chose to
    skip the rest of About you at page `equality_stopped_at` sees no About you page from there on.
    """
    answers: dict[str, Any] = {}
    by_step: dict[str, dict[str, Any]] = {}
    steps: list[str] = []
    stopped = False
    for page in pages:
        stopped = stopped or page.step == equality_stopped_at
        if stopped and page.section == EQUALITY_SECTION:
            continue
        if not page_is_shown(page, answers, equality_skipped=equality_skipped, today=today):
            continue
        steps.append(page.step)
        page_answers = answers_for(page, answers)
        if page_answers is not None:
            by_step[page.step] = dict(page_answers)
            answers.update(page_answers)
    return Route(steps=steps, answers=answers, answers_by_step=by_step)
