"""The table definitions: canonical ONS labels, groups, population bases, and label matching."""

import csv
from pathlib import Path

import pytest

from representativeness.census import CENSUS_TABLES, canonical_category
from representativeness.census.choices import CountLevel, PopulationBase
from representativeness.census.labels import normalise_label, resolve_label
from representativeness.census.tables import TABLES_BY_CHARACTERISTIC, age_range, census_table

HEADERS = Path(__file__).resolve().parent / "fixtures" / "census2021_bulk_headers.csv"


def test_the_tables_the_rest_of_chorus_relies_on_are_defined_with_their_characteristics():
    expected = {
        "TS007A": "age",
        "TS007": "age",
        "TS009": "age",
        "TS008": "sex",
        "TS021": "ethnic_group",
        "TS038": "disability",
        "TS030": "religion",
        "TS077": "sexual_orientation",
        "TS078": "gender_identity",
        "TS039": "unpaid_care",
        "TS029": "english_proficiency",
        "TS037": "general_health",
    }
    assert {code: table.characteristic for code, table in CENSUS_TABLES.items()} == expected
    assert TABLES_BY_CHARACTERISTIC["age"] == ("TS007", "TS009", "TS007A")


@pytest.mark.parametrize(
    ("code", "base", "min_age"),
    [
        ("TS021", PopulationBase.ALL_USUAL_RESIDENTS, 0),
        ("TS077", PopulationBase.AGED_16_AND_OVER, 16),
        ("TS078", PopulationBase.AGED_16_AND_OVER, 16),
        ("TS039", PopulationBase.AGED_5_AND_OVER, 5),
        ("TS029", PopulationBase.AGED_3_AND_OVER, 3),
    ],
)
def test_population_bases(code, base, min_age):
    assert CENSUS_TABLES[code].population_base == base
    assert CENSUS_TABLES[code].min_age == min_age


def test_ethnic_group_detailed_labels_and_their_broad_groups_are_the_ons_output_labels():
    table = CENSUS_TABLES["TS021"]
    assert len(table.categories) == 19
    assert table.broad["Pakistani"] == "Asian, Asian British or Asian Welsh"
    assert table.broad["Other Asian"] == "Asian, Asian British or Asian Welsh"
    assert table.broad["English, Welsh, Scottish, Northern Irish or British"] == "White"
    assert table.broad["Any other ethnic group"] == "Other ethnic group"
    assert table.broad_categories == (
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    )
    assert table.parts("Other ethnic group") == ("Arab", "Any other ethnic group")


def test_disability_groups_follow_the_equality_act_definition():
    table = CENSUS_TABLES["TS038"]
    assert table.parts("Disabled under the Equality Act") == (
        "Day-to-day activities limited a lot",
        "Day-to-day activities limited a little",
    )
    assert table.parts("Not disabled under the Equality Act") == (
        "Has long term physical or mental health condition but day-to-day activities are not limited",
        "No long term physical or mental health conditions",
    )


@pytest.mark.parametrize(
    ("code", "label"), [("TS030", "Not answered"), ("TS077", "Not answered"), ("TS078", "Not answered")]
)
def test_not_answered_is_its_own_category_where_the_census_has_one(code, label):
    table = CENSUS_TABLES[code]
    assert table.not_answered == label
    assert label in table.categories


def test_tables_without_a_not_answered_category_say_so():
    assert CENSUS_TABLES["TS021"].not_answered is None
    assert CENSUS_TABLES["TS008"].not_answered is None


def test_single_year_age_tables_run_from_under_one_to_their_open_top():
    ts007, ts009 = CENSUS_TABLES["TS007"], CENSUS_TABLES["TS009"]
    assert len(ts007.categories) == 101
    assert ts007.categories[0] == "Aged under 1 year"
    assert ts007.categories[-1] == "Aged 100 years and over"
    assert len(ts009.categories) == 91 and ts009.by_sex
    assert ts009.categories[-1] == "Aged 90 years and over"
    assert len(CENSUS_TABLES["TS007A"].categories) == 18


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Aged under 1 year", (0, 0)),
        ("Aged 1 year", (1, 1)),
        ("Aged 37 years", (37, 37)),
        ("Aged 4 years and under", (0, 4)),
        ("Aged 5 to 9 years", (5, 9)),
        ("Aged 85 years and over", (85, None)),
        ("Aged 90 years and over", (90, None)),
        ("Female", None),
    ],
)
def test_age_ranges_are_read_from_the_labels(label, expected):
    assert age_range(label) == expected


def _bulk_headers() -> list[tuple[str, str]]:
    with HEADERS.open(newline="", encoding="utf-8") as handle:
        return [(row["table"].upper(), row["bulk_csv_header"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("code", "header"), [(code, header) for code, header in _bulk_headers() if code in CENSUS_TABLES]
)
def test_every_nomis_bulk_header_of_a_supported_table_is_understood(code, header):
    label = header.split(":", 1)[1]
    assert resolve_label(CENSUS_TABLES[code], label) is not None


def test_bulk_headers_cover_every_detailed_category():
    for code in ("TS007A", "TS008", "TS021", "TS029", "TS030", "TS037", "TS038", "TS039", "TS077", "TS078"):
        table = CENSUS_TABLES[code]
        found = {
            resolved.label
            for table_code, header in _bulk_headers()
            if table_code == code
            and (resolved := resolve_label(table, header.split(":", 1)[1])) is not None
            and resolved.level == CountLevel.DETAILED
        }
        assert found == set(table.categories), code


@pytest.mark.parametrize(
    ("code", "label", "canonical"),
    [
        ("TS021", "Asian, Asian British or Asian Welsh: Pakistani", "Pakistani"),
        ("TS021", "  asian,  ASIAN british or asian welsh:pakistani ; measures: Value", "Pakistani"),
        (
            "TS021",
            "White: English, Welsh, Scottish, Northern Irish or British",
            "English, Welsh, Scottish, Northern Irish or British",
        ),
        ("TS021", "Any other White background", "Other White"),
        ("TS029", "Main language is English (English or Welsh in Wales)", "Main language is English"),
        (
            "TS029",
            "Main language is not English (English or Welsh in Wales): Can speak English well",
            "Can speak English well",
        ),
        ("TS029", "Main language is not English: Cannot speak English", "Cannot speak English"),
        (
            "TS038",
            "Disabled under the Equality Act: Day-to-day activities limited a lot",
            "Day-to-day activities limited a lot",
        ),
        ("TS008", "Females", "Female"),
        (
            "TS078",
            "Gender identity different from sex registered at birth",
            "Gender identity different from sex registered at birth",
        ),
    ],
)
def test_labels_are_matched_after_normalising_and_through_aliases(code, label, canonical):
    assert canonical_category(code, label) == canonical


def test_totals_subtotals_and_unknown_labels_are_told_apart():
    table = census_table("ts021")
    assert resolve_label(table, "Total: All usual residents").level == CountLevel.TOTAL
    assert resolve_label(table, "White").level == CountLevel.BROAD
    assert resolve_label(table, "White: Irish").level == CountLevel.DETAILED
    assert resolve_label(table, "Romany") is None
    # A detailed category that is its own group counts once, as detailed.
    assert resolve_label(CENSUS_TABLES["TS039"], "Provides no unpaid care").level == CountLevel.DETAILED


def test_normalising_handles_quotes_dashes_and_colon_spacing():
    assert normalise_label("Economically active (excluding full-time students):In employment") == (
        "economically active (excluding full-time students): in employment"
    )
    assert normalise_label("St Mary\u2019s") == "st mary's"


def test_an_unsupported_table_code_is_named():
    with pytest.raises(KeyError, match="TS066"):
        census_table("TS066")


def test_survey_library_labels_exist_in_the_tables():
    """The survey equality library names census categories as plain strings; each must be one of ours."""
    library = pytest.importorskip("surveys.equality.library")
    for question in library.STANDARD_QUESTIONS:
        for option in question.options:
            if option.census is None:
                continue
            table = CENSUS_TABLES[option.census.table]
            labels = table.categories if option.census.level == "detailed" else table.broad_categories
            assert option.census.category in labels, (question.key, option.value)
