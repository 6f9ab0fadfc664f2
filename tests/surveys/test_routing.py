"""Routing: which pages and questions a resident sees, decided on the server from their answers."""

import datetime as dt
from dataclasses import dataclass

import pytest

from surveys import routing
from surveys.routing import Rule

TODAY = dt.date(2026, 6, 15)


@dataclass
class FakePage:
    step: str
    rule: Rule | None = None
    section: str = "consultation"


def met(operator, values, answer, key="q"):
    return routing.condition_met(
        Rule(key, operator, tuple(values)), {key: answer} if answer is not None else {}, today=TODAY
    )


@pytest.mark.parametrize(
    ("operator", "values", "answer", "expected"),
    [
        ("equals", ["yes"], "yes", True),
        ("equals", ["yes"], "no", False),
        ("equals", ["yes"], "", False),
        ("equals", ["yes"], None, False),
        ("one_of", ["a", "b"], "b", True),
        ("one_of", ["a", "b"], "c", False),
        ("includes", ["dogs"], ["cats", "dogs"], True),
        ("includes", ["dogs"], ["cats"], False),
        ("includes", ["dogs"], [], False),
        ("includes", ["dogs", "fish"], ["fish"], True),
        # A multiple-choice answer "equals" a value only when that is all that was chosen.
        ("equals", ["dogs"], ["dogs"], True),
        ("equals", ["dogs"], ["dogs", "cats"], False),
    ],
)
def test_choice_conditions(operator, values, answer, expected):
    assert met(operator, values, answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"date_of_birth": "2010-06-16", "age": 15, "prefer_not_to_say": False}, False),  # 15, birthday tomorrow
        ({"date_of_birth": "2010-06-15", "age": 16, "prefer_not_to_say": False}, True),  # 16 today
        ({"date_of_birth": None, "age": 40, "prefer_not_to_say": False}, True),
        ({"date_of_birth": None, "age": 12, "prefer_not_to_say": False}, False),
        ({"date_of_birth": None, "age": None, "prefer_not_to_say": True}, True),  # unknown: let through
        ({"date_of_birth": None, "age": None, "prefer_not_to_say": False}, True),
        (None, True),  # not asked or hidden
        ("15", False),  # a plain number question
        ("16", True),
        ("prefer_not_to_say", True),
    ],
)
def test_age_at_least_or_unknown(answer, expected):
    assert met("age_at_least_or_unknown", ["16"], answer) is expected


def test_age_is_worked_out_on_the_day():
    born = dt.date(2000, 2, 29)
    assert routing.age_on(born, dt.date(2026, 2, 28)) == 25
    assert routing.age_on(born, dt.date(2026, 3, 1)) == 26


def test_unknown_operator_is_an_error():
    with pytest.raises(ValueError):
        met("greater_than", ["1"], "2")


def test_route_skips_hidden_pages_and_ignores_their_stale_answers():
    pages = [
        FakePage("1"),
        FakePage("2", Rule("visits", "equals", ("never",))),
        FakePage("3", Rule("visits", "one_of", ("weekly", "daily"))),
        FakePage("4", Rule("reason", "includes", ("too_far",))),
    ]
    # Page 2 still holds an answer from before the resident changed page 1: it must not count.
    stored = {"1": {"visits": "weekly"}, "2": {"reason": ["too_far"]}, "3": {"park": "x"}}
    result = routing.route(pages, lambda page, prior: stored.get(page.step), equality_skipped=False, today=TODAY)
    assert result.steps == ["1", "3"]
    assert result.answers == {"visits": "weekly", "park": "x"}
    assert "2" not in result.answers_by_step


def test_route_passes_only_earlier_answers_to_each_page():
    pages = [FakePage("1"), FakePage("2"), FakePage("3")]
    seen = {}

    def answers_for(page, prior):
        seen[page.step] = dict(prior)
        return {f"q{page.step}": "x"}

    routing.route(pages, answers_for, equality_skipped=False, today=TODAY)
    assert seen == {"1": {}, "2": {"q1": "x"}, "3": {"q1": "x", "q2": "x"}}


def test_skipping_about_you_hides_every_equality_page_but_not_its_introduction():
    pages = [
        FakePage("1"),
        FakePage("2", section="equality_intro"),
        FakePage("3", section="equality"),
        FakePage("4", Rule("about_you_long_term_condition", "equals", ("yes",)), section="equality"),
    ]
    skipped = routing.route(pages, lambda p, a: {}, equality_skipped=True, today=TODAY)
    assert skipped.steps == ["1", "2"]
    answered = routing.route(
        pages,
        lambda p, a: {"about_you_long_term_condition": "yes"} if p.step == "3" else {},
        equality_skipped=False,
        today=TODAY,
    )
    assert answered.steps == ["1", "2", "3", "4"]


def test_pages_not_yet_answered_still_count_towards_the_route():
    pages = [FakePage("1"), FakePage("2"), FakePage("3", Rule("q2", "equals", ("yes",)))]
    result = routing.route(pages, lambda p, a: None, equality_skipped=False, today=TODAY)
    # Page 3 depends on an answer not yet given, so it is not (yet) on the route.
    assert result.steps == ["1", "2"]
    assert result.answers_by_step == {}
