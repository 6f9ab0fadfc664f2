"""The "About you" characteristics the equality analysis splits answers by, and their groups.

Broad groups, as the census prints them: five ethnic groups, disabled or not, and so on. Fewer, larger
groups give each comparison enough people to tell a difference. Where the census table has detailed
categories under its broad groups (19 ethnic groups, disability "limited a lot" or "a little", hours of
care, how well English is spoken), `detailed=True` adds the characteristic again at that level; the
analysis compares it only for questions where every detailed group has enough respondents
(docs/decisions/0030-intersections-and-detailed-groups.md). Age is in the survey's bands (16 to 24, ...
75 and over).

Two characteristics the About you section asks have no census comparison (`CHARACTERISTICS_WITHOUT_TABLE`):
marital or civil partnership status (Census 2021's TS002 is not imported) and pregnancy and maternity (the
census does not ask). Comparing answers by group needs no census, so they are compared like the others,
in groups of the survey's own answers (docs/decisions/0040-answers-by-group-without-a-census-table.md).
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from representativeness.age_bands import survey_age_bands
from representativeness.census.tables import CENSUS_TABLES, CHARACTERISTICS_WITHOUT_TABLE
from representativeness.selectors import age_band_label
from surveys.equality.library import QUESTIONS_BY_KEY, STANDARD_QUESTIONS
from surveys.equality.mapping import CENSUS_CHARACTERISTICS, census_category
from surveys.equality.selectors import AGE_BAND

# Respondents who answered the question but not this characteristic (prefer not to say, skipped, not
# asked, an age outside the survey's range). Counted, for the sums, never compared.
NOT_STATED = "(not stated)"


def mid_sentence(label: str) -> str:
    """A characteristic's label inside a sentence: "Main language and English" -> "main language and English"
    (only its first letter lowered, so English stays a proper noun)."""
    return label[:1].lower() + label[1:]


@dataclass(frozen=True)
class Characteristic:
    key: str
    label: str
    columns: tuple[str, ...]  # profile columns, or ("age_band",)
    groups: tuple[str, ...]
    group_of: Callable[[tuple[Any, ...]], str]  # the group of one combination of the columns' values
    # How a finding names the group's respondents: "Disabled respondents", "Respondents aged 16 to 24".
    names: dict[str, str]
    level: str = "broad"  # or "detailed": the census table's detailed categories
    # Why the characteristic is not compared with the census, where it is not (empty where it is).
    no_census: str = ""

    @property
    def slot(self) -> str:
        """Its own name in the analysis: the key, with the level when detailed ("ethnic_group.detailed")."""
        return self.key if self.level == "broad" else f"{self.key}.{self.level}"

    def name(self, group: str) -> str:
        return self.names.get(group) or f"Respondents in the group “{group}” ({mid_sentence(self.label)})"


def _census_group(key: str, values: tuple[Any, ...], *, broad: dict[str, str]) -> str:
    """The respondent's group: `broad` maps each census category to its group (to itself when detailed)."""
    label = census_category(key, tuple(None if v != v else v for v in values))  # NaN -> None
    return broad.get(label, NOT_STATED)


_DETAILED_NAMES: dict[str, dict[str, str]] = {
    "disability": {
        "Day-to-day activities limited a lot": "Respondents whose day-to-day activities are limited a lot",
        "Day-to-day activities limited a little": "Respondents whose day-to-day activities are limited a little",
    },
}


_NAMES: dict[str, dict[str, str]] = {
    "sex": {"Female": "Women", "Male": "Men"},
    "disability": {
        "Disabled under the Equality Act": "Disabled respondents",
        "Not disabled under the Equality Act": "Respondents who are not disabled",
    },
    "ethnic_group": {
        "Asian, Asian British or Asian Welsh": "Asian respondents",
        "Black, Black British, Black Welsh, Caribbean or African": "Black respondents",
        "Mixed or Multiple ethnic groups": "Respondents of mixed or multiple ethnic groups",
        "White": "White respondents",
        "Other ethnic group": "Respondents of other ethnic groups",
    },
    "english_proficiency": {
        "Main language is English": "Respondents whose main language is English",
        "Main language is not English": "Respondents whose main language is not English",
    },
    "unpaid_care": {
        "Provides no unpaid care": "Respondents who provide no unpaid care",
        "Provides 19 hours or less unpaid care a week": "Carers of 19 hours a week or less",
        "Provides 20 to 49 hours unpaid care a week": "Carers of 20 to 49 hours a week",
        "Provides 50 or more hours unpaid care a week": "Carers of 50 hours a week or more",
    },
    "gender_identity": {
        "Gender identity the same as sex registered at birth": "Respondents whose gender identity is the same "
        "as their sex registered at birth",
        "Gender identity different from sex registered at birth": "Respondents whose gender identity is different "
        "from their sex registered at birth",
    },
    "sexual_orientation": {
        "Straight or Heterosexual": "Straight or heterosexual respondents",
        "Gay or Lesbian": "Gay or lesbian respondents",
        "Bisexual": "Bisexual respondents",
        "All other sexual orientations": "Respondents of other sexual orientations",
    },
    "religion": {
        "No religion": "Respondents with no religion",
        "Other religion": "Respondents of another religion",
    },
}


def _answer_group(values: tuple[Any, ...], *, groups: dict[str, str]) -> str:
    """The group of a stored answer (`groups`: option value -> group); anything else is not stated."""
    (value,) = values
    return groups.get(value, NOT_STATED) if isinstance(value, str) else NOT_STATED


# Characteristics without a census table, as groups of the survey's answers (option values), broad and,
# where there are more answers than groups, detailed (one group per answer). Marital status is grouped
# as the legal partnership status classification groups it: civil partnership beside marriage.
_WITHOUT_CENSUS: dict[str, tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "marital_status": (
        "Marital or civil partnership status",
        (
            ("Never married and never registered a civil partnership", ("never_married",)),
            ("Married or in a registered civil partnership", ("married", "civil_partnership")),
            (
                "Separated, but still legally married or in a civil partnership",
                ("separated_married", "separated_civil_partnership"),
            ),
            ("Divorced or civil partnership dissolved", ("divorced", "dissolved")),
            ("Widowed or surviving civil partnership partner", ("widowed", "surviving_partner")),
        ),
    ),
    "pregnancy": (
        "Pregnancy and maternity",
        (
            ("Pregnant or gave birth in the last 26 weeks", ("yes",)),
            ("Not pregnant and did not give birth in the last 26 weeks", ("no",)),
        ),
    ),
}
assert set(_WITHOUT_CENSUS) == set(CHARACTERISTICS_WITHOUT_TABLE)

_WITHOUT_CENSUS_NAMES: dict[str, dict[str, str]] = {
    "marital_status": {
        "Never married and never registered a civil partnership": "Respondents who have never married or "
        "registered a civil partnership",
        "Married or in a registered civil partnership": "Respondents who are married or in a civil partnership",
        "Separated, but still legally married or in a civil partnership": "Respondents who are separated but "
        "still legally married or in a civil partnership",
        "Divorced or civil partnership dissolved": "Respondents who are divorced or whose civil partnership "
        "was dissolved",
        "Widowed or surviving civil partnership partner": "Widowed respondents and surviving civil partners",
        # Detailed groups: the answers themselves.
        "Married": "Married respondents",
        "In a registered civil partnership": "Respondents in a registered civil partnership",
        "Divorced": "Divorced respondents",
        "Widowed": "Widowed respondents",
    },
    "pregnancy": {
        "Pregnant or gave birth in the last 26 weeks": "Respondents who are pregnant or gave birth in the last "
        "26 weeks",
        "Not pregnant and did not give birth in the last 26 weeks": "Respondents who are not pregnant and did not "
        "give birth in the last 26 weeks",
    },
}


def _without_census(key: str, *, detailed: bool) -> list[Characteristic]:
    """A characteristic with no census table: its broad groups, then its answers one by one (`detailed`)."""
    label, grouped = _WITHOUT_CENSUS[key]
    question = QUESTIONS_BY_KEY[key]
    # Why there is no census comparison, as the library says it for the question's answers.
    reason = question.option(grouped[0][1][0]).unmapped_reason
    names = _WITHOUT_CENSUS_NAMES.get(key, {})
    broad = {value: group for group, values in grouped for value in values}
    result = [
        Characteristic(
            key,
            label,
            (question.characteristic,),
            tuple(group for group, _ in grouped),
            functools.partial(_answer_group, groups=broad),
            names,
            no_census=reason,
        )
    ]
    answers = {value: question.option(value).label for value in broad}
    if detailed and len(answers) > len(grouped):
        result.append(
            Characteristic(
                key,
                f"{label} (detailed groups)",
                (question.characteristic,),
                tuple(answers.values()),
                functools.partial(_answer_group, groups=answers),
                names,
                level="detailed",
                no_census=reason,
            )
        )
    return result


def analysis_characteristics(*, asked: Sequence[str], minimum_age: int, detailed: bool = False) -> list[Characteristic]:
    """The characteristics a survey asks (its equality keys), in the report's order: age first, those
    without a census table last. With `detailed`, each one whose census table groups detailed categories
    comes again, after its broad groups, at the detailed level (only categories a survey answer can name),
    and so does marital status, one group per answer."""
    asked_keys = set(asked)
    result: list[Characteristic] = []
    if "date_of_birth" in asked_keys:
        bands = [age_band_label(b) for b in survey_age_bands(minimum_age)]

        def age_group(values: tuple[Any, ...]) -> str:
            (band,) = values
            return band if isinstance(band, str) and band else NOT_STATED

        result.append(
            Characteristic(
                "age", "Age", (AGE_BAND,), tuple(bands), age_group, {b: f"Respondents aged {b}" for b in bands}
            )
        )
    for census in CENSUS_CHARACTERISTICS:
        if not set(census.columns) <= asked_keys:
            continue
        table = CENSUS_TABLES[census.table]
        groups = tuple(g for g in table.broad_categories if g != table.not_answered)
        # A detailed category belongs to its broad group; an answer the library maps straight onto a
        # broad group (gender identity "No": ONS's four "different" answers are not asked apart) is in it.
        broad = {c: table.broad[c] for c in table.categories if c != table.not_answered} | {g: g for g in groups}
        names = _NAMES.get(census.key, {})
        if census.key == "religion":
            names = {g: names.get(g, f"{g} respondents") for g in groups}
        result.append(
            Characteristic(
                census.key,
                census.label,
                census.columns,
                groups,
                functools.partial(_census_group, census.key, broad=broad),
                names,
            )
        )
        answerable = _answerable_categories(census.table)
        if detailed and table.has_groups and len(answerable) > len(groups):
            result.append(
                Characteristic(
                    census.key,
                    f"{census.label} (detailed groups)",
                    census.columns,
                    answerable,
                    functools.partial(_census_group, census.key, broad={c: c for c in answerable}),
                    _DETAILED_NAMES.get(census.key, {}),
                    level="detailed",
                )
            )
    for key in CHARACTERISTICS_WITHOUT_TABLE:
        if key in asked_keys:
            result += _without_census(key, detailed=detailed)
    return result


def _answerable_categories(table_code: str) -> tuple[str, ...]:
    """The detailed census categories a survey answer maps to, in the census's order."""
    table = CENSUS_TABLES[table_code]
    mapped = {
        o.census.category
        for q in STANDARD_QUESTIONS
        for o in q.options
        if o.census and o.census.table == table_code and o.census.level != "broad"
    }
    return tuple(c for c in table.categories if c in mapped and c != table.not_answered)
