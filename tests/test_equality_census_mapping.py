"""The survey's standard options and the census tables name the same categories."""

from representativeness.census.tables import CENSUS_TABLES
from surveys.equality.library import STANDARD_QUESTIONS
from surveys.equality.mapping import CENSUS_CHARACTERISTICS


def test_every_mapped_option_names_a_category_of_its_census_table():
    checked = 0
    for question in STANDARD_QUESTIONS:
        for option in question.options:
            if option.census is None:
                continue
            table = CENSUS_TABLES[option.census.table]
            known = table.categories if option.census.level == "detailed" else table.broad_categories
            assert option.census.category in known, f"{question.key}:{option.value} -> {option.census}"
            checked += 1
    assert checked >= 50


def test_each_census_table_is_fully_covered_by_the_options_that_map_to_it():
    """Every census category but "Not answered" can be reached from an answer, at the level compared."""
    for characteristic in CENSUS_CHARACTERISTICS:
        table = CENSUS_TABLES[characteristic.table]
        mapped = [o.census for q in STANDARD_QUESTIONS for o in q.options if o.census and o.census.table == table.code]
        if any(c.level == "broad" for c in mapped):
            reachable = {c.category if c.level == "broad" else table.broad[c.category] for c in mapped}
            expected = set(table.broad_categories)
        else:
            reachable = {c.category for c in mapped}
            expected = set(table.categories)
        assert reachable == expected - {table.not_answered}, table.code


def test_census_characteristics_use_the_tables_population_base_for_adult_questions():
    for characteristic in CENSUS_CHARACTERISTICS:
        table = CENSUS_TABLES[characteristic.table]
        assert (characteristic.minimum_age or 0) == table.min_age or table.min_age < 16, characteristic.key
