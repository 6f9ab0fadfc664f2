"""Which target group a respondent's "About you" answers put them in, as the report counts them.

Pure functions: the category of one profile row at a report level, the same way the report's tallies
read it (surveys.equality.mapping for census characteristics, the survey's age bands, the ward list).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from representativeness.census.tables import CENSUS_TABLES
from representativeness.selectors import AgeBand, age_band_label
from surveys.equality.mapping import CENSUS_CHARACTERISTICS_BY_KEY, census_category


def group_columns(characteristic: str) -> tuple[str, ...]:
    """The EqualityProfile columns a characteristic is read from."""
    if characteristic == "age":
        return ("age",)
    if characteristic == "area":
        return ("area",)
    return CENSUS_CHARACTERISTICS_BY_KEY[characteristic].columns


def group_label(
    characteristic: str,
    level: str,
    values: tuple[Any, ...],
    *,
    bands: Sequence[AgeBand] = (),
    ward_names: Mapping[str, str] | None = None,
) -> str | None:
    """The report category of one respondent for a characteristic at a level, or None if they gave none."""
    if characteristic == "age":
        (age,) = values
        if age is None:
            return None
        band = next((b for b in bands if age >= b[0] and (b[1] is None or age <= b[1])), None)
        return age_band_label(band) if band is not None else None
    if characteristic == "area":
        (code,) = values
        return (ward_names or {}).get(code) if code else None
    found = CENSUS_CHARACTERISTICS_BY_KEY[characteristic]
    label = census_category(characteristic, values)
    table = CENSUS_TABLES[found.table]
    if label not in table.broad and label not in table.broad_categories:
        return None  # prefer not to say, skipped, not asked
    return table.broad.get(label, label) if level == "broad" else label


def characteristic_label(characteristic: str) -> str:
    if characteristic == "age":
        return "Age"
    if characteristic == "area":
        return "Ward"
    return CENSUS_CHARACTERISTICS_BY_KEY[characteristic].label


def in_sentence(label: str) -> str:
    """A label inside a sentence: only its first letter lower-cased, so "Main language and English" reads
    "main language and English" and a proper noun later in it keeps its capital."""
    return label[:1].lower() + label[1:]


def community_label(community: str) -> str:
    """A partner's community ("characteristic:category", as stored) for people: "Religion: Muslim"."""
    characteristic, _, category = community.partition(":")
    try:
        name = characteristic_label(characteristic)
    except KeyError:
        name = characteristic.replace("_", " ").capitalize()
    return f"{name}: {category}" if category else name


def is_non_answer(characteristic: str, category: str) -> bool:
    """Whether a census category counts people who did not answer the question ("Not answered"): no group
    anyone can be reached as, so never a target."""
    found = CENSUS_CHARACTERISTICS_BY_KEY.get(characteristic)
    if found is None:
        return False
    not_answered = CENSUS_TABLES[found.table].not_answered
    return bool(not_answered) and category == not_answered


def group_problem(characteristic: str, level: str, category: str, *, ward: Any) -> str | None:
    """Why a group cannot be a target (a census non-answer, a ward within a ward), or None if it can."""
    if is_non_answer(characteristic, category):
        return (
            f"“{characteristic_label(characteristic)}: {category}” counts people who did not answer the census "
            "question, so it cannot be a target group. Choose a group people belong to"
        )
    if characteristic == "area" and ward is not None:
        return (
            f"“{category}” is a ward already, so it cannot be within a ward. Choose Anywhere for the ward"
            if getattr(ward, "name", None) == category
            else f"Nobody lives in both {category} and {getattr(ward, 'name', ward)}. Choose Anywhere for the ward"
        )
    return None
