"""The standard "About you" questions: wording, options and their census mapping."""

import pytest

from surveys.equality.library import LIBRARY_VERSION, PREFER_NOT_TO_SAY, QUESTIONS_BY_KEY, STANDARD_QUESTIONS
from surveys.equality.mapping import NOT_ASKED, SKIPPED, census_category

REQUIRED_KEYS = {
    "date_of_birth",
    "sex",
    "gender_identity",
    "sexual_orientation",
    "ethnic_group",
    "long_term_condition",
    "disability",
    "religion",
    "unpaid_care",
    "main_language",
    "english_proficiency",
    "marital_status",
    "pregnancy",
    "area",
}


def test_library_has_every_standard_question_and_a_version():
    assert set(QUESTIONS_BY_KEY) == REQUIRED_KEYS
    assert LIBRARY_VERSION


@pytest.mark.parametrize("question", [q for q in STANDARD_QUESTIONS if q.options], ids=lambda q: q.key)
def test_every_option_maps_to_one_census_category_or_says_why_not(question):
    for option in question.options:
        if option.value == PREFER_NOT_TO_SAY:
            continue
        mapped = option.census is not None
        explained = bool(option.unmapped_reason)
        assert mapped != explained, f"{question.key}:{option.value} must either map or say why it does not"
        if mapped:
            assert option.census.table == question.census_table


@pytest.mark.parametrize("question", [q for q in STANDARD_QUESTIONS if q.options], ids=lambda q: q.key)
def test_every_choice_question_offers_prefer_not_to_say_last(question):
    assert question.options[-1].value == PREFER_NOT_TO_SAY
    assert question.options[-1].label == "Prefer not to say"
    assert len({o.value for o in question.options}) == len(question.options)


def test_ethnic_group_has_the_19_england_options_under_five_headings():
    options = [o for o in QUESTIONS_BY_KEY["ethnic_group"].options if o.value != PREFER_NOT_TO_SAY]
    assert len(options) == 19
    assert [g for g in dict.fromkeys(o.group for o in options)] == [
        "White",
        "Mixed or Multiple ethnic groups",
        "Asian or Asian British",
        "Black, Black British, Caribbean or African",
        "Other ethnic group",
    ]
    other_asian = QUESTIONS_BY_KEY["ethnic_group"].option("other_asian")
    assert (other_asian.label, other_asian.census.category) == ("Any other Asian background", "Other Asian")


def test_questions_for_adults_only_are_the_gss_16_plus_ones():
    adults_only = {q.key for q in STANDARD_QUESTIONS if q.minimum_age == 16}
    assert {"gender_identity", "sexual_orientation"} <= adults_only
    assert "ethnic_group" not in adults_only


def test_every_question_explains_why_it_is_asked_and_how_the_answer_is_used():
    for question in STANDARD_QUESTIONS:
        assert len(question.why_we_ask) > 20 and len(question.how_we_use) > 20, question.key


@pytest.mark.parametrize(
    ("characteristic", "values", "expected"),
    [
        ("ethnic_group", ("other_asian",), "Other Asian"),
        ("ethnic_group", ("prefer_not_to_say",), PREFER_NOT_TO_SAY),
        ("ethnic_group", ("skipped",), SKIPPED),
        ("ethnic_group", (None,), NOT_ASKED),
        ("disability", ("yes", "a_little"), "Day-to-day activities limited a little"),
        ("disability", ("yes", "a_lot"), "Day-to-day activities limited a lot"),
        (
            "disability",
            ("yes", "not_at_all"),
            "Has long term physical or mental health condition but day-to-day activities are not limited",
        ),
        ("disability", ("no", None), "No long term physical or mental health conditions"),
        ("disability", ("yes", "skipped"), SKIPPED),
        ("disability", ("yes", None), NOT_ASKED),
        ("disability", ("prefer_not_to_say", None), PREFER_NOT_TO_SAY),
        ("english_proficiency", ("english", None), "Main language is English"),
        ("english_proficiency", ("other", "well"), "Can speak English well"),
        ("religion", ("other",), "Other religion"),
    ],
)
def test_answers_map_onto_census_categories(characteristic, values, expected):
    assert census_category(characteristic, values) == expected
