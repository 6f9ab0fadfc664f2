"""Validation of each question type, and the normalised answers each gives."""

import datetime as dt
from decimal import Decimal

import pytest

from surveys.forms import PageForm
from surveys.models import Condition, Question
from surveys.selectors import survey_structure_get
from tests.factories import ChoiceFactory, GridRowFactory, PageFactory, QuestionFactory, question_with_choices

pytestmark = pytest.mark.django_db
T = Question.Type
TODAY = dt.date(2026, 6, 15)


def page_with(*questions, **page_kwargs):
    """A one-page survey with the given questions ((key, type, kwargs), ...); returns its PageSpec."""
    page = PageFactory(position=1, **page_kwargs)
    for position, (key, type_, kwargs) in enumerate(questions, start=1):
        choices = kwargs.pop("choices", None)
        rows = kwargs.pop("rows", None)
        question = QuestionFactory(page=page, position=position, key=key, type=type_, **kwargs)
        for i, value in enumerate(choices or [], start=1):
            ChoiceFactory(question=question, position=i, value=value, label=value.title())
        for i, value in enumerate(rows or [], start=1):
            GridRowFactory(question=question, position=i, value=value, label=value.title())
    return survey_structure_get(survey=page.survey).pages[0]


def submit(spec, data, prior=None):
    form = PageForm(
        data={f"1-{k}": v for k, v in data.items()}, prefix="1", page=spec, prior_answers=prior, today=TODAY
    )
    form.is_valid()
    return form


def errors(form):
    return {name: list(errs) for name, errs in form.errors.items()}


def test_short_text_required_and_character_limit():
    spec = page_with(("name", T.SHORT_TEXT, {"required": True, "max_length": 5}))
    assert errors(submit(spec, {"name": "  "})) == {"name": ["Enter your answer"]}
    assert errors(submit(spec, {"name": "abcdef"})) == {"name": ["Your answer must be 5 characters or fewer"]}
    assert submit(spec, {"name": " abc "}).answers == {"name": "abc"}


def test_optional_blank_text_is_an_empty_string():
    spec = page_with(("comments", T.LONG_TEXT, {"max_length": 1000}))
    form = submit(spec, {})
    assert form.is_valid() and form.answers == {"comments": ""}


def test_email():
    spec = page_with(("email", T.EMAIL, {"required": True}))
    assert errors(submit(spec, {"email": "not-an-email"})) == {
        "email": ["Enter an email address in the correct format, like name@example.com"]
    }
    assert errors(submit(spec, {"email": ""})) == {"email": ["Enter an email address"]}
    assert submit(spec, {"email": "a@example.com"}).answers == {"email": "a@example.com"}


def test_single_choice_and_agreement_and_dropdown():
    spec = page_with(
        ("colour", T.SINGLE_CHOICE, {"required": True, "choices": ["red", "blue"]}),
        ("agree", T.AGREEMENT, {}),
        ("park", T.DROPDOWN, {"choices": ["longford", "stamford"]}),
    )
    form = submit(spec, {"colour": "green"})
    assert errors(form) == {"colour": ["Select an answer from the list"]}
    assert errors(submit(spec, {})) == {"colour": ["Select an answer"]}
    form = submit(spec, {"colour": "red", "agree": "dont_know", "park": "stamford"})
    assert form.answers == {"colour": "red", "agree": "dont_know", "park": "stamford"}
    # An agreement question without choice rows gets the standard five points plus "Don't know".
    assert [o.value for o in spec.questions[1].options][-1] == "dont_know"
    assert len(spec.questions[1].options) == 6


def test_other_please_specify_must_be_described_and_is_normalised_apart():
    spec = page_with(("pet", T.SINGLE_CHOICE, {"choices": ["cat", "dog"], "allow_other": True}))
    assert [o.value for o in spec.questions[0].options] == ["cat", "dog", "other"]
    assert errors(submit(spec, {"pet": "other"})) == {"pet__other": ["Describe your other answer"]}
    assert submit(spec, {"pet": "other", "pet__other": "Tortoise"}).answers == {
        "pet": "other",
        "pet__other": "Tortoise",
    }
    # Text typed beside an option that was not chosen is not an answer.
    assert submit(spec, {"pet": "cat", "pet__other": "Tortoise"}).answers == {"pet": "cat"}


def test_multiple_choice_maximum_and_prefer_not_to_say():
    spec = page_with(
        (
            "why",
            T.MULTIPLE_CHOICE,
            {"required": True, "max_choices": 2, "choices": ["a", "b", "c", "prefer_not_to_say"]},
        )
    )
    assert errors(submit(spec, {})) == {"why": ["Select at least one answer"]}
    assert errors(submit(spec, {"why": ["a", "b", "c"]})) == {"why": ["Select no more than 2 answers"]}
    assert errors(submit(spec, {"why": ["a", "prefer_not_to_say"]})) == {
        "why": ["Select Prefer not to say, or your answers, not both"]
    }
    assert submit(spec, {"why": ["a", "c"]}).answers == {"why": ["a", "c"]}
    assert submit(spec, {"why": ["prefer_not_to_say"]}).answers == {"why": ["prefer_not_to_say"]}


def test_number_limits_and_prefer_not_to_say():
    spec = page_with(
        ("minutes", T.NUMBER, {"required": True, "min_value": Decimal(0), "max_value": Decimal(240)}),
        ("income", T.NUMBER, {"allow_prefer_not_to_say": True, "min_value": Decimal(0)}),
    )
    assert errors(submit(spec, {"minutes": "ten"})) == {"minutes": ["Enter a number"]}
    assert errors(submit(spec, {"minutes": "300"})) == {"minutes": ["The number must be between 0 and 240"]}
    assert errors(submit(spec, {"minutes": "5", "income": "-1"})) == {"income": ["The number must be 0 or more"]}
    assert errors(submit(spec, {"minutes": ""})) == {"minutes": ["Enter a number"]}
    assert errors(submit(spec, {"minutes": "5", "income": "10", "income__pnts": "on"})) == {
        "income": ["Enter a number or select Prefer not to say, not both"]
    }
    assert submit(spec, {"minutes": "12.50", "income__pnts": "on"}).answers == {
        "minutes": "12.5",
        "income": "prefer_not_to_say",
    }
    assert submit(spec, {"minutes": "1e2"}).answers == {"minutes": "100", "income": ""}


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "6", "2025", "Date must include a day"),
        ("1", "", "", "Date must include a month and a year"),
        ("31", "2", "2025", "Date must be a real date"),
        ("1", "13", "2025", "Date must be a real date"),
        ("1", "1", "25", "Date must be a real date"),
        ("x", "1", "2025", "Date must be a real date"),
    ],
)
def test_date_errors(day, month, year, message):
    spec = page_with(("visited", T.DATE, {"required": True}))
    form = submit(spec, {"visited_day": day, "visited_month": month, "visited_year": year})
    assert errors(form) == {"visited": [message]}
    # The error summary links to the first box of the date.
    assert next(form.error_links())["href"] == "#id_1-visited_day"


def test_date_normalised_to_iso():
    spec = page_with(("visited", T.DATE, {"required": True}))
    form = submit(spec, {"visited_day": "3", "visited_month": "4", "visited_year": "2025"})
    assert form.answers == {"visited": "2025-04-03"}
    assert errors(submit(spec, {})) == {"visited": ["Enter a date"]}


def dob(spec, day="", month="", year="", age="", pnts=False):
    data = {"dob_day": day, "dob_month": month, "dob_year": year, "dob__age": age}
    if pnts:
        data["dob__pnts"] = "on"
    return submit(spec, data)


def test_date_of_birth_gives_age_or_prefer_not_to_say():
    spec = page_with(("dob", T.DATE_OF_BIRTH, {}))
    assert dob(spec, "16", "6", "1990").answers == {
        "dob": {"date_of_birth": "1990-06-16", "age": 35, "prefer_not_to_say": False}
    }
    assert dob(spec, age="42").answers == {"dob": {"date_of_birth": None, "age": 42, "prefer_not_to_say": False}}
    assert dob(spec, pnts=True).answers == {"dob": {"date_of_birth": None, "age": None, "prefer_not_to_say": True}}
    assert dob(spec).answers == {"dob": {"date_of_birth": None, "age": None, "prefer_not_to_say": False}}


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"day": "30", "month": "2", "year": "1990"}, "dob", "Date of birth must be a real date"),
        ({"day": "1", "month": "1", "year": "2027"}, "dob", "Date of birth must be in the past"),
        ({"day": "1", "month": "1", "year": "1890"}, "dob", "Date of birth must be after 1905"),
        ({"age": "121"}, "dob__age", "Age must be between 0 and 120"),
        ({"age": "-1"}, "dob__age", "Age must be between 0 and 120"),
        ({"age": "forty"}, "dob__age", "Enter your age as a whole number, like 42"),
        ({"age": "30", "pnts": True}, "dob", "Give your date of birth or age, or select Prefer not to say, not both"),
        (
            {"day": "1", "month": "1", "year": "1990", "age": "20"},
            "dob__age",
            "The age you gave does not match your date of birth",
        ),
    ],
)
def test_date_of_birth_errors(kwargs, field, message):
    spec = page_with(("dob", T.DATE_OF_BIRTH, {}))
    assert errors(dob(spec, **kwargs)) == {field: [message]}


def test_required_date_of_birth_needs_one_of_the_three():
    spec = page_with(("dob", T.DATE_OF_BIRTH, {"required": True}))
    assert errors(dob(spec)) == {"dob": ["Enter your date of birth or your age, or select Prefer not to say"]}


def test_grid_every_row_required_and_normalised_by_row():
    spec = page_with(("rate", T.GRID, {"required": True, "choices": ["good", "poor"], "rows": ["paths", "toilets"]}))
    form = submit(spec, {"rate__row_paths": "good"})
    assert errors(form) == {"rate__row_toilets": ["Select an answer for Toilets"]}
    assert next(form.error_links())["href"] == "#id_1-rate__row_toilets"
    form = submit(spec, {"rate__row_paths": "good", "rate__row_toilets": "poor"})
    assert form.answers == {"rate": {"paths": "good", "toilets": "poor"}}


def test_optional_grid_keeps_blank_rows_blank():
    spec = page_with(("rate", T.GRID, {"choices": ["good", "poor"], "rows": ["paths", "toilets"]}))
    assert submit(spec, {"rate__row_paths": "poor"}).answers == {"rate": {"paths": "poor", "toilets": ""}}


def test_write_in_options_share_one_optional_text_box():
    page = PageFactory(position=1)
    question = question_with_choices(page, "ethnic", T.SINGLE_CHOICE, ["white_british", "other_white", "other_asian"])
    question.choices.filter(value__startswith="other").update(write_in=True)
    spec = survey_structure_get(survey=page.survey).pages[0]
    assert submit(spec, {"ethnic": "other_asian"}).answers == {"ethnic": "other_asian"}
    assert submit(spec, {"ethnic": "other_white", "ethnic__other": "Polish"}).answers == {
        "ethnic": "other_white",
        "ethnic__other": "Polish",
    }


def test_question_hidden_by_an_earlier_page_is_not_on_the_form():
    page = PageFactory(position=1)
    trigger = question_with_choices(page, "pets", T.SINGLE_CHOICE, ["yes", "no"])
    QuestionFactory(
        page=PageFactory(survey=page.survey, position=2),
        position=1,
        key="pet_name",
        required=True,
        condition_question=trigger,
        condition_operator=Condition.EQUALS,
        condition_values=["yes"],
    )
    spec = survey_structure_get(survey=page.survey).pages[1]
    hidden = PageForm(data={}, prefix="2", page=spec, prior_answers={"pets": "no"})
    assert hidden.is_valid() and hidden.answers == {} and "pet_name" not in hidden.fields
    shown = PageForm(data={}, prefix="2", page=spec, prior_answers={"pets": "yes"})
    assert not shown.is_valid() and "pet_name" in shown.errors


def test_question_depending_on_the_same_page_is_neither_validated_nor_stored_when_hidden():
    page = PageFactory(position=1)
    trigger = question_with_choices(page, "updates", T.SINGLE_CHOICE, ["yes", "no"])
    QuestionFactory(
        page=page,
        position=2,
        key="email",
        type=T.EMAIL,
        required=True,
        condition_question=trigger,
        condition_operator=Condition.EQUALS,
        condition_values=["yes"],
    )
    spec = survey_structure_get(survey=page.survey).pages[0]
    form = submit(spec, {"updates": "no", "email": "not valid"})
    assert form.is_valid() and form.answers == {"updates": "no"}
    form = submit(spec, {"updates": "yes", "email": "not valid"})
    assert "email" in form.errors


def test_error_summary_names_the_question_on_a_page_of_several():
    spec = page_with(
        ("park", T.DROPDOWN, {"required": True, "choices": ["longford"], "text": "Which park do you visit most?"}),
        ("why", T.SHORT_TEXT, {"required": True, "text": "Why?"}),
    )
    form = submit(spec, {})
    assert [link["text"] for link in form.error_links()] == [
        "Which park do you visit most: select an answer",
        "Why: enter your answer",
    ]
    assert form.errors["park"] == ["Select an answer"]  # beside the field, the message alone
