"""The labels a service's equality data may use, and the census categories each stands for.

A label stands for a set of census categories: one where the service's classification matches the
census, several where it is coarser (the NHS "Any other White background" covers Census 2021's Gypsy or
Irish Traveller, Roma and Other White; a plain "Yes" to disability covers both "limited a lot" and "a
little"). Pure data and functions: no Django.
"""

import re

from representativeness.census.tables import CENSUS_TABLES
from surveys.equality.library import STANDARD_QUESTIONS

PREFER_NOT_TO_SAY = "prefer_not_to_say"
SKIPPED = "skipped"

# Characteristic key -> the census table its categories come from.
TABLES = {"sex": "TS008", "ethnic_group": "TS021", "disability": "TS038", "religion": "TS030"}

# How services name their columns (normalised) -> characteristic key; "age" and "date_of_birth" apart.
COLUMN_NAMES = {
    "age": "age",
    "age in years": "age",
    "date of birth": "date_of_birth",
    "dob": "date_of_birth",
    "birth date": "date_of_birth",
    "sex": "sex",
    "gender": "sex",
    "sex or gender": "sex",
    "ethnicity": "ethnic_group",
    "ethnic group": "ethnic_group",
    "ethnic category": "ethnic_group",
    "ethnic category code": "ethnic_group",
    "ethnicity code": "ethnic_group",
    "ethnic code": "ethnic_group",
    "ethnic group code": "ethnic_group",
    "ethnic origin": "ethnic_group",
    "ethnic origin code": "ethnic_group",
    "nhs ethnic category": "ethnic_group",
    "nhs ethnic category code": "ethnic_group",
    "ethnicity category": "ethnic_group",
    "disability": "disability",
    "disabled": "disability",
    "religion": "religion",
    "religion or belief": "religion",
    "faith": "religion",
}

# "Not stated" and the NHS code Z are one non-answer, in every form ("Z", "Not stated", "Z - Not stated"):
# the NHS Data Dictionary records Z where the person was asked and chose not to state their ethnic category,
# which is the report's "prefer not to say" (asked, declined); "Not known" (99) is where nobody asked or it
# was not recorded, the report's "skipped". Both are left out of the comparison with the census (whose own
# "Not answered" is left out too), and each is counted where the report says why people are missing.
NOT_ANSWERS = {
    "prefer not to say": PREFER_NOT_TO_SAY,
    "declined": PREFER_NOT_TO_SAY,
    "refused": PREFER_NOT_TO_SAY,
    "not stated": PREFER_NOT_TO_SAY,
    "z": PREFER_NOT_TO_SAY,
    "z not stated": PREFER_NOT_TO_SAY,
    "not stated z": PREFER_NOT_TO_SAY,
    "not answered": SKIPPED,
    "not known": SKIPPED,
    "unknown": SKIPPED,
    "99": SKIPPED,
    "99 not known": SKIPPED,
    "": SKIPPED,
}

_OTHER_WHITE = ("Gypsy or Irish Traveller", "Roma", "Other White")
_OTHER_ETHNIC = ("Arab", "Any other ethnic group")

# The NHS Data Dictionary's ethnic categories: code, group, name, the census categories they cover.
NHS_ETHNIC_CATEGORIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("A", "White", "British", ("English, Welsh, Scottish, Northern Irish or British",)),
    ("B", "White", "Irish", ("Irish",)),
    ("C", "White", "Any other White background", _OTHER_WHITE),
    ("D", "Mixed", "White and Black Caribbean", ("White and Black Caribbean",)),
    ("E", "Mixed", "White and Black African", ("White and Black African",)),
    ("F", "Mixed", "White and Asian", ("White and Asian",)),
    ("G", "Mixed", "Any other mixed background", ("Other Mixed or Multiple ethnic groups",)),
    ("H", "Asian or Asian British", "Indian", ("Indian",)),
    ("J", "Asian or Asian British", "Pakistani", ("Pakistani",)),
    ("K", "Asian or Asian British", "Bangladeshi", ("Bangladeshi",)),
    ("L", "Asian or Asian British", "Any other Asian background", ("Other Asian",)),
    ("M", "Black or Black British", "Caribbean", ("Caribbean",)),
    ("N", "Black or Black British", "African", ("African",)),
    ("P", "Black or Black British", "Any other Black background", ("Other Black",)),
    ("R", "Other Ethnic Groups", "Chinese", ("Chinese",)),
    ("S", "Other Ethnic Groups", "Any other ethnic group", _OTHER_ETHNIC),
)

_DISABILITY_YES = ("Day-to-day activities limited a lot", "Day-to-day activities limited a little")
_DISABILITY_NO = (
    "Has long term physical or mental health condition but day-to-day activities are not limited",
    "No long term physical or mental health conditions",
)
_EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    "sex": {"f": ("Female",), "m": ("Male",), "woman": ("Female",), "man": ("Male",)},
    "disability": {
        "yes": _DISABILITY_YES,
        "no": _DISABILITY_NO,
        "disabled": _DISABILITY_YES,
        "not disabled": _DISABILITY_NO,
    },
    "religion": {"none": ("No religion",), "other": ("Other religion",), "any other religion": ("Other religion",)},
}


def normalise(label: str) -> str:
    """Case, punctuation and spacing folded: "A - White - British" -> "a white british"."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", str(label).lower().replace("_", " "))).strip()


def _vocabulary(characteristic: str) -> dict[str, tuple[str, ...]]:
    table = CENSUS_TABLES[TABLES[characteristic]]
    words: dict[str, tuple[str, ...]] = {}
    for category in table.categories:
        if category != table.not_answered:
            words[normalise(category)] = (category,)
    # The census's broad groups ("White", "Disabled under the Equality Act"), for files that hold only them:
    # each stands for its detailed categories, merged, so the file is compared at its own broad level.
    broad: dict[str, list[str]] = {}
    for category, group in table.broad.items():
        broad.setdefault(group, []).append(category)
    for group, parts in broad.items():
        words.setdefault(normalise(group), tuple(parts))
    question_keys = {"disability": ("disability",)}.get(characteristic, (characteristic,))
    for question in STANDARD_QUESTIONS:
        if question.key in question_keys:
            for option in question.options:
                if option.census is not None and option.census.level == "detailed":
                    words.setdefault(normalise(option.label), (option.census.category,))
                    words.setdefault(normalise(option.value), (option.census.category,))
    if characteristic == "ethnic_group":
        for code, group, name, covers in NHS_ETHNIC_CATEGORIES:
            for form in (code, f"{group} {name}", f"{code} {group} {name}", f"{code} {name}"):
                words[normalise(form)] = covers
            words.setdefault(normalise(name), covers)
            if group == "White":
                words.setdefault(normalise(f"White {name}"), covers)
        # The NHS groups, where a file holds only them ("Asian or Asian British" leaves out Chinese, which the
        # NHS counts among "Other Ethnic Groups").
        nhs_groups: dict[str, list[str]] = {}
        for _code, group, _name, covers in NHS_ETHNIC_CATEGORIES:
            nhs_groups.setdefault(group, []).extend(covers)
        for group, parts in nhs_groups.items():
            words.setdefault(normalise(group), tuple(parts))
        # The NHS name and the standard option share these words but the NHS category is wider: they
        # stand for the wider set, narrowed to what the file does not name apart (labels_resolve).
        words[normalise("Any other White background")] = _OTHER_WHITE
        words[normalise("Any other ethnic group")] = _OTHER_ETHNIC
    words.update({normalise(k): v for k, v in _EXTRA.get(characteristic, {}).items()})
    return words


VOCABULARIES = {key: _vocabulary(key) for key in TABLES}


def label_categories(characteristic: str, label: str) -> tuple[str, ...] | str | None:
    """The census categories a label stands for, a not-an-answer marker, or None when unknown."""
    key = normalise(label)
    if key in NOT_ANSWERS:
        return NOT_ANSWERS[key]
    return VOCABULARIES[characteristic].get(key)
