"""Each of the four formats councils download, read from real-format fixtures, gives the same counts."""

import pytest
from django.core.management import call_command

from representativeness.census import census_file_parse
from representativeness.census.choices import AreaLevel, Sex, SourceFormat
from representativeness.census.formats import detect_format
from representativeness.selectors import baseline_category_counts, baseline_total

STOCKPORT = "E08000007"
PAKISTANI_IN_STOCKPORT = 10_953
LIMITED_A_LOT_IN_STOCKPORT = 22_708


def _parse(path):
    return census_file_parse(file_name=path.name, data=path.read_bytes())


def _stockport(parsed, sex=Sex.ALL):
    return next(area for area in parsed.areas if area.code == STOCKPORT).counts[sex]


@pytest.mark.parametrize(
    ("name", "source_format"),
    [
        ("census2021-ts021-ltla.csv", SourceFormat.NOMIS_BULK),
        ("census2021-ts021-ltla-measures-bom.csv", SourceFormat.NOMIS_BULK),
        ("census2021-ts021-ltla-unquoted.csv", SourceFormat.NOMIS_BULK),
        ("ons-custom-ts021-ltla.csv", SourceFormat.ONS_CUSTOM),
        ("nomis-api-ts021-ltla.csv", SourceFormat.NOMIS_API),
    ],
)
def test_ethnic_group_in_every_format_gives_stockports_pakistani_count(fixture_path, name, source_format):
    parsed = _parse(fixture_path(name))
    assert parsed.format == source_format
    assert parsed.table.code == "TS021"
    assert len(parsed.areas) == 10
    assert _stockport(parsed)["Pakistani"] == PAKISTANI_IN_STOCKPORT


def test_ethnic_group_in_the_long_format_gives_stockports_pakistani_count(shipped):
    parsed = _parse(shipped("greater-manchester/2021_population_ethnic_group_la_gm.csv"))
    assert parsed.format == SourceFormat.LONG
    assert _stockport(parsed)["Pakistani"] == PAKISTANI_IN_STOCKPORT


@pytest.mark.parametrize(
    "name",
    [
        "census2021-ts038-ltla.csv",
        "census2021-ts038-ltla-quoted-bom.csv",
        "ons-custom-ts038-ltla.csv",
        "nomis-api-ts038-ltla.csv",
    ],
)
def test_disability_in_every_format_gives_stockports_limited_a_lot_count(fixture_path, name):
    parsed = _parse(fixture_path(name))
    assert parsed.table.code == "TS038"
    assert _stockport(parsed)["Day-to-day activities limited a lot"] == LIMITED_A_LOT_IN_STOCKPORT


def test_disability_long_format(shipped):
    parsed = _parse(shipped("greater-manchester/2021_disability_la_gm.csv"))
    assert _stockport(parsed)["Day-to-day activities limited a lot"] == LIMITED_A_LOT_IN_STOCKPORT


def test_all_formats_agree_on_every_stockport_count(fixture_path, shipped):
    files = [
        fixture_path("census2021-ts021-ltla.csv"),
        fixture_path("ons-custom-ts021-ltla.csv"),
        fixture_path("nomis-api-ts021-ltla.csv"),
        shipped("greater-manchester/2021_population_ethnic_group_la_gm.csv"),
    ]
    counts = [_stockport(_parse(path)) for path in files]
    assert all(c == counts[0] for c in counts)
    assert list(counts[0]) == list(_parse(files[0]).table.categories)  # canonical order, whatever the file's


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("census2021-ts007a-ltla.csv", "TS007A"),
        ("census2021-ts007-ltla.csv", "TS007"),
        ("census2021-ts008-ltla.csv", "TS008"),
        ("census2021-ts029-ltla.csv", "TS029"),
        ("census2021-ts030-ltla.csv", "TS030"),
        ("census2021-ts037-ltla.csv", "TS037"),
        ("census2021-ts039-ltla.csv", "TS039"),
        ("census2021-ts077-ltla.csv", "TS077"),
        ("census2021-ts078-ltla.csv", "TS078"),
    ],
)
def test_every_supported_table_reads_from_its_exact_bulk_headers(fixture_path, name, code):
    parsed = _parse(fixture_path(name))
    assert parsed.table.code == code
    assert len(parsed.areas) == 10
    area = parsed.areas[0]
    assert list(area.counts[Sex.ALL]) == list(parsed.table.categories)
    assert area.level == AreaLevel.LOCAL_AUTHORITY


def test_bulk_and_long_english_proficiency_agree_despite_the_wales_wording(fixture_path, shipped):
    bulk = _stockport(_parse(fixture_path("census2021-ts029-ltla.csv")))
    long = _stockport(_parse(shipped("greater-manchester/2021_population_english_proficiency_la_gm.csv")))
    assert bulk == long
    assert bulk["Main language is English"] == 272_788


def test_the_published_total_is_kept_as_the_tables_own_denominator(fixture_path):
    parsed = _parse(fixture_path("census2021-ts008-ltla.csv"))
    stockport = next(a for a in parsed.areas if a.code == STOCKPORT)
    assert stockport.totals[Sex.ALL] == 294_773
    assert stockport.counts[Sex.ALL] == {"Female": 151_373, "Male": 143_400}


def test_ons_custom_dataset_skips_does_not_apply_rows_and_reads_wards(fixture_path):
    parsed = _parse(fixture_path("ons-custom-ts030-wards.csv"))
    assert parsed.table.code == "TS030"
    assert len(parsed.areas) == 21
    altrincham = next(a for a in parsed.areas if a.code == "E05000819")
    assert altrincham.level == AreaLevel.WARD
    assert altrincham.counts[Sex.ALL]["No religion"] == 4729
    assert "Does not apply" not in altrincham.counts[Sex.ALL]


def test_nomis_api_reads_value_rows_only_and_checks_its_totals_and_groups(fixture_path):
    parsed = _parse(fixture_path("nomis-api-ts021-ltla.csv"))
    stockport = next(a for a in parsed.areas if a.code == STOCKPORT)
    assert stockport.totals[Sex.ALL] == sum(stockport.counts[Sex.ALL].values())  # the Percent rows were left out


def test_nomis_api_sex_by_age_has_two_dimensions(fixture_path):
    parsed = _parse(fixture_path("nomis-api-ts009-wards.csv"))
    assert parsed.table.code == "TS009"
    area = parsed.areas[0]
    assert set(area.counts) == {Sex.ALL, Sex.FEMALE, Sex.MALE}
    assert area.counts[Sex.ALL]["Aged under 1 year"] == 152  # Altrincham, female 85 + male 67


def test_long_sex_by_age_file_is_ts009_with_all_persons(shipped):
    parsed = _parse(shipped("trafford-wards/2021_population_by_sex_and_age_ward_trafford.csv"))
    assert parsed.table.code == "TS009"
    assert len(parsed.areas) == 21
    assert {s for a in parsed.areas for s in a.counts} == {Sex.ALL, Sex.FEMALE, Sex.MALE}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["date", "geography", "geography code", "Sex: All persons; measures: Value"], SourceFormat.NOMIS_BULK),
        (['"date"', '"geography"', '"geography code"', '"Sex: Female"'], SourceFormat.NOMIS_BULK),
        (
            [
                "Lower Tier Local Authorities Code",
                "Lower Tier Local Authorities",
                "Sex (2 categories) Code",
                "Sex (2 categories)",
                "Observation",
            ],
            SourceFormat.ONS_CUSTOM,
        ),
        (["GEOGRAPHY_CODE", "C_SEX_NAME", "OBS_VALUE"], SourceFormat.NOMIS_API),
        (["area_code", "area_name", "geography", "period", "indicator", "measure", "unit", "value"], SourceFormat.LONG),
        (["name", "age", "favourite colour"], None),
    ],
)
def test_the_format_is_detected_from_the_header(header, expected):
    assert detect_format(header) == expected


def test_an_unquoted_area_name_with_a_comma_is_put_back_together(tmp_path, fixture_path):
    text = fixture_path("census2021-ts008-ltla.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    # Illustrative counts: what matters is the bare comma in the name.
    lines.append("2021,Bristol, City of,E06000023,472465,240339,232126")
    path = tmp_path / "census2021-ts008-ltla.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bristol = next(a for a in _parse(path).areas if a.code == "E06000023")
    assert bristol.name == "Bristol, City of"
    assert bristol.counts[Sex.ALL] == {"Female": 240_339, "Male": 232_126}


def test_a_windows_1252_file_from_excel_is_read(tmp_path, fixture_path):
    text = fixture_path("ons-custom-ts030-wards.csv").read_text(encoding="utf-8")
    path = tmp_path / "religion.csv"
    path.write_bytes(text.replace("St Mary's", "St Mary\u2019s").encode("cp1252"))
    names = {a.name for a in _parse(path).areas}
    assert "St Mary\u2019s" in names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "table", "category", "expected"),
    [
        ("census2021-ts021-ltla.csv", "TS021", "Pakistani", PAKISTANI_IN_STOCKPORT),
        ("ons-custom-ts021-ltla.csv", "TS021", "Pakistani", PAKISTANI_IN_STOCKPORT),
        ("nomis-api-ts021-ltla.csv", "TS021", "Pakistani", PAKISTANI_IN_STOCKPORT),
        ("census2021-ts038-ltla-quoted-bom.csv", "TS038", "Day-to-day activities limited a lot", 22_708),
        ("ons-custom-ts038-ltla.csv", "TS038", "Day-to-day activities limited a lot", 22_708),
        ("nomis-api-ts038-ltla.csv", "TS038", "Day-to-day activities limited a lot", 22_708),
    ],
)
def test_imported_counts_read_back_through_the_selectors(fixture_path, name, table, category, expected):
    call_command("import_census", str(fixture_path(name)))
    counts = baseline_category_counts(area_code=STOCKPORT, table=table)
    assert counts[category] == expected
    assert baseline_total(area_code=STOCKPORT, table=table) == int(counts.sum())
