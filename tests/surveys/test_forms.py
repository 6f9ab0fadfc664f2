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
    spec = page_with(("name", T.SHORT_TEXT, {"required": True, "max_length": 5, "text": "What is your nickname?"}))
    assert errors(submit(spec, {"name": "  "})) == {"name": ["Enter your nickname"]}
    assert errors(submit(spec, {"name": "abcdef"})) == {"name": ["Your nickname must be 5 characters or fewer"]}
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
    assert errors(submit(spec, {"email": ""})) == {"email": ["Enter your email address"]}
    assert submit(spec, {"email": "a@example.com"}).answers == {"email": "a@example.com"}


def test_single_choice_and_agreement_and_dropdown():
    spec = page_with(
        (
            "colour",
            T.SINGLE_CHOICE,
            {"required": True, "choices": ["red", "blue"], "text": "Which colour do you like?"},
        ),
        ("agree", T.AGREEMENT, {}),
        ("park", T.DROPDOWN, {"choices": ["longford", "stamford"]}),
    )
    form = submit(spec, {"colour": "green"})
    assert errors(form) == {"colour": ["Select which colour you like from the options shown"]}
    assert errors(submit(spec, {})) == {"colour": ["Select which colour you like"]}
    form = submit(spec, {"colour": "red", "agree": "dont_know", "park": "stamford"})
    assert form.answers == {"colour": "red", "agree": "dont_know", "park": "stamford"}
    # An agreement question without choice rows gets the standard five points plus "Don't know".
    assert [o.value for o in spec.questions[1].options][-1] == "dont_know"
    assert len(spec.questions[1].options) == 6


def test_other_please_specify_must_be_described_and_is_normalised_apart():
    spec = page_with(
        ("pet", T.SINGLE_CHOICE, {"choices": ["cat", "dog"], "allow_other": True, "answer_name": "your pet"})
    )
    assert [o.value for o in spec.questions[0].options] == ["cat", "dog", "other"]
    assert errors(submit(spec, {"pet": "other"})) == {"pet__other": ["Describe your other answer for your pet"]}
    assert errors(submit(spec, {"pet": "other", "pet__other": "x" * 201})) == {
        "pet__other": ["Your other answer for your pet must be 200 characters or fewer"]
    }
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
            {
                "required": True,
                "max_choices": 2,
                "choices": ["a", "b", "c", "prefer_not_to_say"],
                "text": "What stops you visiting?",
            },
        )
    )
    assert errors(submit(spec, {})) == {"why": ["Select what stops you visiting"]}
    assert errors(submit(spec, {"why": ["a", "b", "c"]})) == {
        "why": ["Select no more than 2 for what stops you visiting"]
    }
    assert errors(submit(spec, {"why": ["a", "prefer_not_to_say"]})) == {
        "why": ["Select what stops you visiting, or Prefer not to say, not both"]
    }
    assert submit(spec, {"why": ["a", "c"]}).answers == {"why": ["a", "c"]}
    assert submit(spec, {"why": ["prefer_not_to_say"]}).answers == {"why": ["prefer_not_to_say"]}


def test_number_limits_and_prefer_not_to_say():
    spec = page_with(
        (
            "minutes",
            T.NUMBER,
            {"required": True, "min_value": Decimal(0), "max_value": Decimal(240), "answer_name": "how long it takes"},
        ),
        ("income", T.NUMBER, {"allow_prefer_not_to_say": True, "min_value": Decimal(0), "answer_name": "your income"}),
    )
    assert errors(submit(spec, {"minutes": "ten"})) == {
        "minutes": ["How long it takes must be a number, like 12 or 3.5"]
    }
    assert errors(submit(spec, {"minutes": "300"})) == {"minutes": ["How long it takes must be between 0 and 240"]}
    assert errors(submit(spec, {"minutes": "5", "income": "-1"})) == {"income": ["Your income must be 0 or more"]}
    assert errors(submit(spec, {"minutes": ""})) == {"minutes": ["Enter how long it takes"]}
    assert errors(submit(spec, {"minutes": "5", "income": "10", "income__pnts": "on"})) == {
        "income": ["Enter your income or select Prefer not to say, not both"]
    }
    assert submit(spec, {"minutes": "12.50", "income__pnts": "on"}).answers == {
        "minutes": "12.5",
        "income": "prefer_not_to_say",
    }
    assert submit(spec, {"minutes": "1e2"}).answers == {"minutes": "100", "income": ""}


LAST_VISIT = {"required": True, "answer_name": "the date of your last visit", "dates_allowed": "past"}


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "parts"),
    [
        ("", "6", "2025", "Enter the day of your last visit", ["day"]),
        ("1", "", "", "Enter the month and year of your last visit", ["month", "year"]),
        ("31", "2", "2025", "The date of your last visit must be a real date", ["day"]),
        ("1", "13", "2025", "The date of your last visit must be a real date", ["month"]),
        ("1", "1", "25", "The date of your last visit must include a year with 4 numbers, like 2025", ["year"]),
        ("x", "1", "2025", "The date of your last visit must be a real date", ["day"]),
        ("1", "1", "2027", "The date of your last visit must be today or in the past", ["day", "month", "year"]),
    ],
)
def test_date_errors_name_the_question_and_mark_only_the_boxes_at_fault(day, month, year, message, parts):
    spec = page_with(("visited", T.DATE, dict(LAST_VISIT)))
    form = submit(spec, {"visited_day": day, "visited_month": month, "visited_year": year})
    assert errors(form) == {"visited": [message]}
    assert form.error_parts("visited") == parts
    # The error summary links to the first box at fault.
    assert next(form.error_links())["href"] == f"#id_1-visited_{parts[0]}"


@pytest.mark.parametrize("huge", ["99999999999999999999", "-999999999999999", "１２", "1e5", "0x1F"])
@pytest.mark.parametrize("part", ["day", "month", "year"])
def test_date_boxes_holding_anything_but_a_few_digits_are_not_a_date(part, huge):
    spec = page_with(("visited", T.DATE, dict(LAST_VISIT)))
    data = {"visited_day": "1", "visited_month": "2", "visited_year": "2020", f"visited_{part}": huge}
    form = submit(spec, data)
    assert form.error_parts("visited") == [part]
    assert "must" in errors(form)["visited"][0]


def test_dates_in_the_future_are_refused_only_where_they_make_no_sense():
    spec = page_with(("event", T.DATE, {"answer_name": "the date of the event"}))
    assert submit(spec, {"event_day": "1", "event_month": "1", "event_year": "2030"}).answers == {"event": "2030-01-01"}
    spec = page_with(("event", T.DATE, {"answer_name": "the date of the event", "dates_allowed": "future"}))
    assert errors(submit(spec, {"event_day": "1", "event_month": "1", "event_year": "2020"})) == {
        "event": ["The date of the event must be today or in the future"]
    }


def test_date_normalised_to_iso():
    spec = page_with(("visited", T.DATE, dict(LAST_VISIT)))
    form = submit(spec, {"visited_day": "3", "visited_month": "4", "visited_year": "2025"})
    assert form.answers == {"visited": "2025-04-03"}
    assert errors(submit(spec, {})) == {"visited": ["Enter the date of your last visit"]}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("M32 0TH", "M32 0TH"), ("m320th", "M32 0TH"), ("  sw1a  1aa ", "SW1A 1AA"), ("EC1A1BB", "EC1A 1BB")],
)
def test_postcodes_are_normalised(typed, stored):
    spec = page_with(("postcode", T.POSTCODE, {}))
    assert submit(spec, {"postcode": typed}).answers == {"postcode": stored}


@pytest.mark.parametrize("typed", ["M32", "not a postcode", "123 456", "M32 0THX", "M32-0TH"])
def test_postcodes_that_are_not_postcodes_are_refused(typed):
    spec = page_with(("postcode", T.POSTCODE, {"required": True}))
    assert errors(submit(spec, {"postcode": typed})) == {"postcode": ["Enter a full UK postcode, like M32 0TH"]}
    assert errors(submit(spec, {"postcode": ""})) == {"postcode": ["Enter your postcode"]}


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
        ({"day": "30", "month": "2", "year": "1990"}, "dob", "Your date of birth must be a real date"),
        ({"day": "1", "month": "1", "year": "2027"}, "dob", "Your date of birth must be today or in the past"),
        ({"day": "1", "month": "1", "year": "1890"}, "dob", "Your date of birth must be after 1905"),
        ({"month": "1", "year": "1990"}, "dob", "Enter the day of your date of birth"),
        ({"age": "121"}, "dob__age", "Your age must be between 0 and 120"),
        ({"age": "-1"}, "dob__age", "Your age must be between 0 and 120"),
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
    spec = page_with(
        (
            "rate",
            T.GRID,
            {"required": True, "choices": ["good", "poor"], "rows": ["paths", "toilets"], "answer_name": "a rating"},
        )
    )
    form = submit(spec, {"rate__row_paths": "good"})
    assert errors(form) == {"rate__row_toilets": ["Select a rating for Toilets"]}
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


def test_error_messages_name_the_question_the_same_in_the_summary_and_beside_the_field():
    spec = page_with(
        ("park", T.DROPDOWN, {"required": True, "choices": ["longford"], "text": "Which park do you visit most?"}),
        ("why", T.SHORT_TEXT, {"required": True, "text": "Why do you go there?"}),
        ("visits", T.SINGLE_CHOICE, {"required": True, "choices": ["a"], "text": "How often do you visit a park?"}),
        (
            "last",
            T.DATE,
            {"required": True, "text": "When did you last go?", "answer_name": "the date of your last visit"},
        ),
    )
    form = submit(spec, {"last_month": "5", "last_year": "2026"})
    summary = [link["text"] for link in form.error_links()]
    assert summary == [
        "Select which park you visit most",
        "Enter why you go there",
        "Select how often you visit a park",
        "Enter the day of your last visit",
    ]
    assert [form.errors[key][0] for key in ("park", "why", "visits", "last")] == summary
    assert not any("Select an answer" in text or "Ensure this value" in text for text in summary)


@pytest.mark.parametrize(
    ("type_", "data", "message"),
    [
        (T.SHORT_TEXT, {"q": "x" * 501}, "Your answer to “Tell us” must be 500 characters or fewer"),
        (T.LONG_TEXT, {"q": "x" * 10_001}, "Your answer to “Tell us” must be 10,000 characters or fewer"),
        (T.EMAIL, {"q": "a" * 250 + "@example.com"}, "Your email address must be 254 characters or fewer"),
        (T.NUMBER, {"q": "1" * 20}, "Your answer to “Tell us” must be between -10,000,000,000 and 10,000,000,000"),
        (
            T.NUMBER,
            {"q": "-" + "9" * 11},
            "Your answer to “Tell us” must be between -10,000,000,000 and 10,000,000,000",
        ),
        (T.NUMBER, {"q": "1.234"}, "Your answer to “Tell us” must have no more than 2 decimal places"),
    ],
)
def test_over_long_answers_get_a_message_never_djangos(type_, data, message):
    spec = page_with(("q", type_, {"text": "Tell us"}))
    assert errors(submit(spec, data)) == {"q": [message]}


def test_forms_of_one_page_share_no_resident_state():
    """A page's fields are made once per structure and copied for each form: what one resident sent,
    and any change to one form's field, never reaches another resident's form of the same page."""
    spec = page_with(
        ("park", T.DROPDOWN, {"required": True, "choices": ["abbey", "brook"]}),
        ("rating", T.GRID, {"required": True, "choices": ["good", "poor"], "rows": ["paths", "cafe"]}),
        ("born", T.DATE_OF_BIRTH, {}),
    )
    first = submit(spec, {"park": "brook", "rating__row_paths": "good", "born_day": "1", "born_month": "2"})
    second = submit(spec, {"park": "nowhere"})
    assert set(errors(first)) == {"born", "rating__row_cafe"}
    assert "park" not in errors(first) and "park" in errors(second)
    assert first["park"].value() == "brook" and second["park"].value() == "nowhere"
    assert PageForm(prefix="1", page=spec, today=TODAY)["park"].value() is None
    first.fields["park"].required = True
    assert all(second.fields[name] is not first.fields[name] for name in first.fields)
    assert PageForm(prefix="1", page=spec, today=TODAY).fields["park"].required is False
