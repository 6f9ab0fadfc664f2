"""The Census 2021 tables Chorus imports, as data.

Category labels are the ONS output labels, detailed level, in ONS order. Where ONS prints a detailed
category under a broad group ("Asian, Asian British or Asian Welsh: Pakistani"), the detailed label is
the part after the group ("Pakistani") and `broad` maps it to its group. Tables without groups map
each category to itself. Survey answer options name these labels (surveys/equality/library.py), and a
test holds the two together, so change a label here only with the library.

Two labels are shortened from what the bulk files print, to match the England wording and the
survey library: TS029 "Main language is English" and "Main language is not English" (the files add
"(English or Welsh in Wales)"; both spellings are accepted on import, see labels.py).
"""

from dataclasses import dataclass, field
from types import MappingProxyType

from representativeness.census.ages import (
    FIVE_YEAR_BANDS,
    TS007_SUBTOTALS,
    AgeRange,
    age_bands,
    age_label,
    age_range,
    single_year_labels,
)
from representativeness.census.choices import PopulationBase


@dataclass(frozen=True, eq=False)
class CensusTable:
    code: str
    title: str
    characteristic: str
    population_base: PopulationBase
    categories: tuple[str, ...]
    # detailed -> broad, for every detailed category (itself where the table has no groups)
    broad: MappingProxyType[str, str]
    not_answered: str | None = None
    # TS009 is counted by sex as well as age; every other table is for all persons only.
    by_sex: bool = False
    # Other spellings seen in downloads, mapped to a canonical detailed or broad label.
    aliases: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Words in a column or dimension name that point at this table (used only to break ties).
    dimension_hints: tuple[str, ...] = ()

    @property
    def min_age(self) -> int:
        return MIN_AGE[self.population_base]

    @property
    def is_age(self) -> bool:
        return self.characteristic == "age"

    @property
    def broad_categories(self) -> tuple[str, ...]:
        """The broad groups, in the order their first detailed category appears."""
        return tuple(dict.fromkeys(self.broad[c] for c in self.categories))

    @property
    def has_groups(self) -> bool:
        return len(self.broad_categories) < len(self.categories)

    def parts(self, broad: str) -> tuple[str, ...]:
        """The detailed categories that make up a broad group."""
        return tuple(c for c in self.categories if self.broad[c] == broad)

    def age_range(self, category: str) -> AgeRange | None:
        """The ages a category covers, for age tables (None elsewhere)."""
        return age_range(category) if self.is_age else None


MIN_AGE: dict[PopulationBase, int] = {
    PopulationBase.ALL_USUAL_RESIDENTS: 0,
    PopulationBase.AGED_3_AND_OVER: 3,
    PopulationBase.AGED_5_AND_OVER: 5,
    PopulationBase.AGED_16_AND_OVER: 16,
}


def _grouped(groups: list[tuple[str, list[str]]]) -> tuple[tuple[str, ...], MappingProxyType[str, str]]:
    categories = tuple(c for _, parts in groups for c in parts)
    return categories, MappingProxyType({c: broad for broad, parts in groups for c in parts})


def _flat(categories: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], MappingProxyType[str, str]]:
    return tuple(categories), MappingProxyType({c: c for c in categories})


_TS007_CATEGORIES = single_year_labels(100)
_TS009_CATEGORIES = single_year_labels(90)

_TS021_CATEGORIES, _TS021_BROAD = _grouped(
    [
        ("Asian, Asian British or Asian Welsh", ["Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian"]),
        ("Black, Black British, Black Welsh, Caribbean or African", ["African", "Caribbean", "Other Black"]),
        (
            "Mixed or Multiple ethnic groups",
            [
                "White and Asian",
                "White and Black African",
                "White and Black Caribbean",
                "Other Mixed or Multiple ethnic groups",
            ],
        ),
        (
            "White",
            [
                "English, Welsh, Scottish, Northern Irish or British",
                "Irish",
                "Gypsy or Irish Traveller",
                "Roma",
                "Other White",
            ],
        ),
        ("Other ethnic group", ["Arab", "Any other ethnic group"]),
    ]
)

_TS038_CATEGORIES, _TS038_BROAD = _grouped(
    [
        (
            "Disabled under the Equality Act",
            ["Day-to-day activities limited a lot", "Day-to-day activities limited a little"],
        ),
        (
            "Not disabled under the Equality Act",
            [
                "Has long term physical or mental health condition but day-to-day activities are not limited",
                "No long term physical or mental health conditions",
            ],
        ),
    ]
)

_TS029_CATEGORIES, _TS029_BROAD = _grouped(
    [
        ("Main language is English", ["Main language is English"]),
        (
            "Main language is not English",
            [
                "Can speak English very well",
                "Can speak English well",
                "Cannot speak English well",
                "Cannot speak English",
            ],
        ),
    ]
)

# The broad groups are the subtotal columns of the bulk file.
_TS039_CATEGORIES, _TS039_BROAD = _grouped(
    [
        ("Provides no unpaid care", ["Provides no unpaid care"]),
        (
            "Provides 19 hours or less unpaid care a week",
            ["Provides 9 hours or less unpaid care a week", "Provides 10 to 19 hours unpaid care a week"],
        ),
        (
            "Provides 20 to 49 hours unpaid care a week",
            ["Provides 20 to 34 hours unpaid care a week", "Provides 35 to 49 hours unpaid care a week"],
        ),
        ("Provides 50 or more hours unpaid care a week", ["Provides 50 or more hours unpaid care a week"]),
    ]
)

# ONS's own 4-category gender identity classification groups the four "different" answers.
_TS078_CATEGORIES, _TS078_BROAD = _grouped(
    [
        (
            "Gender identity the same as sex registered at birth",
            ["Gender identity the same as sex registered at birth"],
        ),
        (
            "Gender identity different from sex registered at birth",
            [
                "Gender identity different from sex registered at birth but no specific identity given",
                "Trans woman",
                "Trans man",
                "All other gender identities",
            ],
        ),
        ("Not answered", ["Not answered"]),
    ]
)


def _table(
    code: str,
    title: str,
    characteristic: str,
    base: PopulationBase,
    categories_and_broad: tuple[tuple[str, ...], MappingProxyType[str, str]],
    *,
    not_answered: str | None = None,
    by_sex: bool = False,
    aliases: dict[str, str] | None = None,
    hints: tuple[str, ...] = (),
) -> CensusTable:
    categories, broad = categories_and_broad
    return CensusTable(
        code=code,
        title=title,
        characteristic=characteristic,
        population_base=base,
        categories=categories,
        broad=broad,
        not_answered=not_answered,
        by_sex=by_sex,
        aliases=MappingProxyType(aliases or {}),
        dimension_hints=hints,
    )


_ALL = PopulationBase.ALL_USUAL_RESIDENTS

CENSUS_TABLES: dict[str, CensusTable] = {
    table.code: table
    for table in (
        _table(
            "TS007A",
            "Age by five-year age bands",
            "age",
            _ALL,
            _flat([age_label(low, high) for low, high in FIVE_YEAR_BANDS]),
            hints=("age (18 categories)", "five-year", "5 year", "age_19", "age_18"),
        ),
        _table(
            "TS007",
            "Age by single year",
            "age",
            _ALL,
            (_TS007_CATEGORIES, age_bands(_TS007_CATEGORIES, TS007_SUBTOTALS)),
            hints=("age (101 categories)", "single year", "age_102", "age_101"),
        ),
        _table(
            "TS009",
            "Sex by single year of age",
            "age",
            _ALL,
            _flat(_TS009_CATEGORIES),
            by_sex=True,
            hints=("age (91 categories)", "age_92", "age_91", "sex and age"),
        ),
        _table(
            "TS008",
            "Sex",
            "sex",
            _ALL,
            _flat(["Female", "Male"]),
            aliases={"Females": "Female", "Males": "Male"},
            hints=("sex",),
        ),
        _table(
            "TS021",
            "Ethnic group",
            "ethnic_group",
            _ALL,
            (_TS021_CATEGORIES, _TS021_BROAD),
            aliases={
                # Older and survey spellings of the same groups.
                "Any other White background": "Other White",
                "Any other Asian background": "Other Asian",
                "Any other Mixed or Multiple ethnic background": "Other Mixed or Multiple ethnic groups",
                "Any other Black, Black British or Caribbean background": "Other Black",
            },
            hints=("ethnic", "eth_"),
        ),
        _table(
            "TS038",
            "Disability",
            "disability",
            _ALL,
            (_TS038_CATEGORIES, _TS038_BROAD),
            aliases={
                "Has long-term physical or mental health condition but day-to-day activities are not limited": (
                    "Has long term physical or mental health condition but day-to-day activities are not limited"
                ),
                "No long-term physical or mental health conditions": (
                    "No long term physical or mental health conditions"
                ),
            },
            hints=("disab",),
        ),
        _table(
            "TS030",
            "Religion",
            "religion",
            _ALL,
            _flat(
                [
                    "No religion",
                    "Christian",
                    "Buddhist",
                    "Hindu",
                    "Jewish",
                    "Muslim",
                    "Sikh",
                    "Other religion",
                    "Not answered",
                ]
            ),
            not_answered="Not answered",
            aliases={"Any other religion": "Other religion", "Religion not stated": "Not answered"},
            hints=("religio",),
        ),
        _table(
            "TS077",
            "Sexual orientation",
            "sexual_orientation",
            PopulationBase.AGED_16_AND_OVER,
            _flat(
                [
                    "Straight or Heterosexual",
                    "Gay or Lesbian",
                    "Bisexual",
                    "All other sexual orientations",
                    "Not answered",
                ]
            ),
            not_answered="Not answered",
            aliases={"Other sexual orientation": "All other sexual orientations"},
            hints=("sexual orientation", "sexual_orientation", "sexorient"),
        ),
        _table(
            "TS078",
            "Gender identity",
            "gender_identity",
            PopulationBase.AGED_16_AND_OVER,
            (_TS078_CATEGORIES, _TS078_BROAD),
            not_answered="Not answered",
            hints=("gender identity", "gender_identity", "genderid"),
        ),
        _table(
            "TS039",
            "Provision of unpaid care",
            "unpaid_care",
            PopulationBase.AGED_5_AND_OVER,
            (_TS039_CATEGORIES, _TS039_BROAD),
            hints=("unpaid care", "unpaid_care", "carer"),
        ),
        _table(
            "TS029",
            "Proficiency in English language",
            "english_proficiency",
            PopulationBase.AGED_3_AND_OVER,
            (_TS029_CATEGORIES, _TS029_BROAD),
            aliases={
                "Main language is English (English or Welsh in Wales)": "Main language is English",
                "Main language is not English (English or Welsh in Wales)": "Main language is not English",
            },
            hints=("proficiency", "engprof", "english"),
        ),
        _table(
            "TS037",
            "General health",
            "general_health",
            _ALL,
            _flat(["Very good health", "Good health", "Fair health", "Bad health", "Very bad health"]),
            hints=("general health", "general_health", "health"),
        ),
    )
}

# The characteristics each table measures, and the tables that measure each (age has three, best first).
TABLES_BY_CHARACTERISTIC: dict[str, tuple[str, ...]] = {}
for _code, _table_def in CENSUS_TABLES.items():
    TABLES_BY_CHARACTERISTIC[_table_def.characteristic] = (
        *TABLES_BY_CHARACTERISTIC.get(_table_def.characteristic, ()),
        _code,
    )
TABLES_BY_CHARACTERISTIC["age"] = ("TS007", "TS009", "TS007A")

# Protected characteristics the survey asks about that the census does not count here.
CHARACTERISTICS_WITHOUT_TABLE: tuple[str, ...] = ("marital_status", "pregnancy")


def census_table(code: str) -> CensusTable:
    """The table with this code ("ts021" and "TS021" both work); KeyError names the supported ones."""
    try:
        return CENSUS_TABLES[code.strip().upper()]
    except KeyError:
        raise KeyError(f"{code!r} is not a supported census table ({', '.join(CENSUS_TABLES)})") from None


__all__ = [
    "CENSUS_TABLES",
    "CHARACTERISTICS_WITHOUT_TABLE",
    "MIN_AGE",
    "TABLES_BY_CHARACTERISTIC",
    "AgeRange",
    "CensusTable",
    "age_range",
    "census_table",
]
