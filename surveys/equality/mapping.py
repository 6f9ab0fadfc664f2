"""From stored "About you" answers to Census 2021 categories.

Most characteristics are one question whose options map straight onto a census category. Two are
asked as a question and a follow-up (disability: a long-term condition, then whether it limits
day-to-day activities; English: main language, then how well English is spoken), and their census
category depends on both answers.
"""

from dataclasses import dataclass

from surveys.equality.library import PREFER_NOT_TO_SAY, QUESTIONS_BY_KEY

SKIPPED = "skipped"
NOT_ASKED = "not_asked"


@dataclass(frozen=True)
class CensusCharacteristic:
    """A characteristic the report compares with the census: its table and the profile columns it reads."""

    key: str
    label: str
    table: str
    columns: tuple[str, ...]
    minimum_age: int | None = None


CENSUS_CHARACTERISTICS: tuple[CensusCharacteristic, ...] = (
    CensusCharacteristic("sex", "Sex", "TS008", ("sex",)),
    CensusCharacteristic("gender_identity", "Gender identity", "TS078", ("gender_identity",), minimum_age=16),
    CensusCharacteristic("sexual_orientation", "Sexual orientation", "TS077", ("sexual_orientation",), minimum_age=16),
    CensusCharacteristic("ethnic_group", "Ethnic group", "TS021", ("ethnic_group",)),
    CensusCharacteristic("disability", "Disability", "TS038", ("long_term_condition", "disability")),
    CensusCharacteristic("religion", "Religion", "TS030", ("religion",)),
    CensusCharacteristic("unpaid_care", "Unpaid care", "TS039", ("unpaid_care",)),
    CensusCharacteristic(
        "english_proficiency", "Main language and English", "TS029", ("main_language", "english_proficiency")
    ),
)
CENSUS_CHARACTERISTICS_BY_KEY = {c.key: c for c in CENSUS_CHARACTERISTICS}

_FOLLOW_UPS = {
    # characteristic: (first question, its answer that leads to the follow-up, follow-up question)
    "disability": ("long_term_condition", "yes", "disability"),
    "english_proficiency": ("main_language", "other", "english_proficiency"),
}


def _not_an_answer(value: str | None) -> str | None:
    if value is None:
        return NOT_ASKED
    if value in (PREFER_NOT_TO_SAY, SKIPPED):
        return value
    return None


def option_census_category(question_key: str, value: str) -> str:
    option = QUESTIONS_BY_KEY[question_key].option(value)
    if option.census is None:
        raise ValueError(f"{question_key}={value} has no census category on its own")
    return option.census.category


def census_category(characteristic: str, values: tuple[str | None, ...]) -> str:
    """The census category (or not_asked / skipped / prefer_not_to_say) of one respondent's answers.

    `values` are the stored values of the characteristic's columns, in `CensusCharacteristic.columns` order.
    """
    if characteristic in _FOLLOW_UPS:
        first_key, leads_on, follow_up_key = _FOLLOW_UPS[characteristic]
        first, follow_up = values
        special = _not_an_answer(first)
        if special:
            return special
        if first == leads_on:
            return _not_an_answer(follow_up) or option_census_category(follow_up_key, follow_up)  # type: ignore[arg-type]
        return option_census_category(first_key, first)  # type: ignore[arg-type]
    (value,) = values
    return _not_an_answer(value) or option_census_category(characteristic, value)  # type: ignore[arg-type]
