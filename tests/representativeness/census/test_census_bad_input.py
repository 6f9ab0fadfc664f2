"""Every kind of bad input is refused with a message naming file, row and column, a non-zero exit, and no
change to the database."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from representativeness.census import CensusFileError, CensusUpload, census_files_parse
from representativeness.census.errors import MAX_ISSUES
from representativeness.models import Area
from representativeness.services import area_create_composite, census_files_import

pytestmark = pytest.mark.django_db

STOCKPORT_ROW = 8  # Stockport is the 7th council in the bulk fixtures, below the header


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _bulk(fixture_path, name: str = "census2021-ts021-ltla.csv") -> list[list[str]]:
    with fixture_path(name).open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle)]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _refused(snapshot, *paths: Path, areas: list[str] | None = None) -> str:
    """Run the command, expect it to fail, check nothing changed, and return its message."""
    before = snapshot()
    args = [str(p) for p in paths] + (["--area", *areas] if areas else [])
    with pytest.raises(CommandError) as raised:
        call_command("import_census", *args)
    assert snapshot() == before
    message = str(raised.value)
    assert message.startswith("Nothing was imported.")
    return message


@pytest.fixture(autouse=True)
def _something_loaded(stockport_loaded):
    """Every test starts with Stockport's TS021 and TS038 loaded, to show they survive a refused import."""


def test_not_a_csv_excel_workbook(tmp_path, snapshot):
    path = _write(tmp_path, "census.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4)
    message = _refused(snapshot, path)
    assert "census.xlsx: not a CSV file: it looks like an Excel workbook" in message


def test_not_a_csv_binary(tmp_path, snapshot):
    path = _write(tmp_path, "picture.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert "picture.csv: not a CSV file" in _refused(snapshot, path)


def test_not_a_csv_one_column_text(tmp_path, snapshot):
    path = _write(tmp_path, "notes.csv", "Some notes about the census\nwith no columns at all\n")
    assert "notes.csv, row 1: not a CSV file: the first row has only one column" in _refused(snapshot, path)


def test_not_a_census_file(tmp_path, snapshot):
    path = _write(tmp_path, "people.csv", "name,age\nAda,36\n")
    assert "people.csv, row 1: not a census file Chorus recognises" in _refused(snapshot, path)


def test_unknown_table_from_a_bulk_file_name(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path, "census2021-ts008-ltla.csv")
    path = _write(tmp_path, "census2021-ts066-ltla.csv", _csv(rows))
    assert "census2021-ts066-ltla.csv: unknown census table TS066" in _refused(snapshot, path)


def test_unknown_table_from_its_categories(tmp_path, snapshot):
    text = (
        "area_code,area_name,geography,period,indicator,economic_activity_status,measure,unit,value\n"
        "E08000007,Stockport,Local authority,2021-03-21,Economic activity,"
        "Economically inactive: Retired,Count,Persons,5\n"
    )
    path = _write(tmp_path, "economic_activity.csv", text)
    message = _refused(snapshot, path)
    assert "economic_activity.csv, row 1: unknown census table" in message
    assert "Economically inactive: Retired" in message


def test_unknown_category(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path)
    column = rows[0].index("Ethnic group: White: Roma")
    rows[0][column] = "Ethnic group: White: Romany"
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    message = _refused(snapshot, path)
    assert f"census2021-ts021-ltla.csv, row 1, column {column + 1} ('Ethnic group: White: Romany'): " in message
    assert "unknown category 'White: Romany' for TS021 Ethnic group" in message


def test_unknown_category_in_a_long_file_names_its_row(tmp_path, snapshot, shipped):
    lines = shipped("greater-manchester/2021_population_religion_la_gm.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("Jewish", "Jedi")
    path = _write(tmp_path, "religion.csv", "\n".join(lines) + "\n")
    message = _refused(snapshot, path)
    assert "religion.csv, row 6, column 6 ('religion'): unknown category 'Jedi' for TS030 Religion" in message


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("10953.5", "count '10953.5' is not a whole number"),
        ("ten", "count 'ten' is not a whole number"),
        ("-3", "count '-3' is negative"),
        ("", "missing count: the cell is empty"),
        ("1099511627776", "count '1099511627776' is larger than any census count (at most 2,147,483,647)"),
    ],
)
def test_count_that_is_not_a_whole_number(tmp_path, snapshot, fixture_path, value, problem):
    rows = _bulk(fixture_path)
    column = rows[0].index("Ethnic group: Asian, Asian British or Asian Welsh: Pakistani")
    assert rows[STOCKPORT_ROW - 1][column] == "10953"
    rows[STOCKPORT_ROW - 1][column] = value
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    message = _refused(snapshot, path)
    assert (
        f"census2021-ts021-ltla.csv, row {STOCKPORT_ROW}, column {column + 1} "
        f"('Ethnic group: Asian, Asian British or Asian Welsh: Pakistani'): {problem}" in message
    )


def test_count_not_whole_in_ons_custom_dataset(tmp_path, snapshot, fixture_path):
    lines = fixture_path("ons-custom-ts038-ltla.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",12.25"
    path = _write(tmp_path, "disability.csv", "\n".join(lines) + "\n")
    assert "disability.csv, row 4, column 5 ('Count'): count '12.25' is not a whole number" in _refused(snapshot, path)


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        ("census2021-ts021-ltla.csv", "geography code", "column 'geography code': missing geography column"),
        ("nomis-api-ts038-ltla.csv", "GEOGRAPHY_CODE", "column 'GEOGRAPHY_CODE': missing geography column"),
        ("ons-custom-ts021-ltla.csv", "Lower tier local authorities Code", "row 1: missing geography column"),
    ],
)
def test_missing_geography_column(tmp_path, snapshot, fixture_path, name, column, expected):
    rows = _bulk(fixture_path, name)
    index = rows[0].index(column)
    rows = [row[:index] + row[index + 1 :] for row in rows]
    path = _write(tmp_path, name, _csv(rows))
    message = _refused(snapshot, path)
    assert f"{name}, row 1" in message
    assert expected in message


def test_missing_area_column_in_a_long_file(tmp_path, snapshot, shipped):
    lines = shipped("greater-manchester/2021_population_by_sex_la_gm.csv").read_text(encoding="utf-8").splitlines()
    lines = [line.split(",", 1)[1] for line in lines]
    path = _write(tmp_path, "sex.csv", "\n".join(lines) + "\n")
    assert "sex.csv, row 1, column 'area_code': missing geography column" in _refused(snapshot, path)


def test_a_bad_area_code(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path)
    rows[STOCKPORT_ROW - 1][2] = "Stockport"
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    message = _refused(snapshot, path)
    assert f"row {STOCKPORT_ROW}, column 3 ('geography code'): 'Stockport' is not an ONS area code" in message


def test_total_that_does_not_add_up(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path)
    column = rows[0].index("Ethnic group: Total: All usual residents")
    rows[STOCKPORT_ROW - 1][column] = str(int(rows[STOCKPORT_ROW - 1][column]) + 1000)
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    message = _refused(snapshot, path)
    assert (
        f"census2021-ts021-ltla.csv, row {STOCKPORT_ROW}, column {column + 1} "
        "('Ethnic group: Total: All usual residents'): the total in E08000007 is 295,770 "
        "but its categories add up to 294,770" in message
    )


def test_subtotal_that_does_not_add_up(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path)
    column = rows[0].index("Ethnic group: White")
    rows[STOCKPORT_ROW - 1][column] = "1"
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    message = _refused(snapshot, path)
    assert f"row {STOCKPORT_ROW}, column {column + 1} ('Ethnic group: White'): subtotal 'White' in E08000007" in message


def test_a_total_off_by_a_few_people_is_ons_perturbation_and_accepted(tmp_path, fixture_path):
    rows = _bulk(fixture_path)
    column = rows[0].index("Ethnic group: Total: All usual residents")
    rows[STOCKPORT_ROW - 1][column] = str(int(rows[STOCKPORT_ROW - 1][column]) + 4)
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    call_command("import_census", str(path), "--area", "E08000007")


def test_a_missing_category_column(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path)
    index = rows[0].index("Ethnic group: White: Roma")
    rows = [row[:index] + row[index + 1 :] for row in rows]
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    assert "no count for 1 TS021 category in E08000001: 'Roma'" in _refused(snapshot, path)


def test_the_same_area_twice(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path)
    rows.append(rows[STOCKPORT_ROW - 1])
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    assert f"row {len(rows)}, column 4" in _refused(snapshot, path)
    assert "a second count for 'the total' in E08000007" in _refused(snapshot, path)


def test_empty_file(tmp_path, snapshot):
    path = _write(tmp_path, "empty.csv", b"")
    assert "empty.csv: the file is empty" in _refused(snapshot, path)


def test_header_only(tmp_path, snapshot, fixture_path):
    header = fixture_path("census2021-ts021-ltla.csv").read_text(encoding="utf-8").splitlines()[0]
    path = _write(tmp_path, "census2021-ts021-ltla.csv", header + "\n")
    assert "census2021-ts021-ltla.csv, row 2: the file has a header row but no data rows" in _refused(snapshot, path)


def test_file_over_the_size_limit(settings, snapshot, fixture_path):
    settings.CENSUS_IMPORT_MAX_BYTES = 1000
    path = fixture_path("census2021-ts021-ltla.csv")
    message = _refused(snapshot, path)
    assert re.search(r"census2021-ts021-ltla.csv: the file is [\d,]+ bytes, over the limit of 1,000", message)


def test_file_over_the_size_limit_refused_by_the_parser_too(fixture_path):
    path = fixture_path("census2021-ts021-ltla.csv")
    with pytest.raises(CensusFileError, match="over the limit of 100 bytes"):
        census_files_parse(uploads=[CensusUpload(path.name, path.read_bytes())], max_bytes=100)


def test_no_such_file(tmp_path, snapshot):
    assert "no such file" in _refused(snapshot, tmp_path / "missing.csv")


def test_an_area_not_in_the_files(snapshot, fixture_path):
    message = _refused(snapshot, fixture_path("census2021-ts021-ltla.csv"), areas=["E05000819"])
    assert "area E05000819 is not in the file" in message


def test_one_bad_file_stops_the_good_ones_too(tmp_path, snapshot, fixture_path):
    bad = _write(tmp_path, "empty.csv", b"")
    message = _refused(snapshot, fixture_path("census2021-ts030-ltla.csv"), bad)
    assert "empty.csv: the file is empty" in message
    assert not Area.objects.filter(code="E08000001").exists()


def test_problems_in_several_files_are_all_listed(tmp_path, snapshot):
    first = _write(tmp_path, "one.csv", b"")
    second = _write(tmp_path, "two.csv", "name,age\nAda,36\n")
    message = _refused(snapshot, first, second)
    assert "one.csv: the file is empty" in message
    assert "two.csv, row 1: not a census file" in message


def test_a_damaged_file_lists_many_problems_but_not_thousands(tmp_path, snapshot, fixture_path):
    rows = _bulk(fixture_path)
    rows = [rows[0]] + [[*row[:3], *("x" for _ in row[3:])] for row in rows[1:]]
    path = _write(tmp_path, "census2021-ts021-ltla.csv", _csv(rows))
    message = _refused(snapshot, path)
    assert message.count("is not a whole number") == MAX_ISSUES
    assert "further problems not listed" in message


def test_a_failure_while_writing_rolls_back_the_whole_run(snapshot, fixture_path):
    """The last area of the file clashes with a custom area: the nine areas written before it are undone."""
    Area.objects.create(code="E05000819", name="Altrincham", level="ward")
    area_create_composite(code="E08000010", name="Wigan, as we define it", component_codes=["E08000007", "E05000819"])
    message = _refused(snapshot, fixture_path("census2021-ts030-ltla.csv"))
    assert "E08000010 is the code of a custom area" in message
    assert not Area.objects.filter(code="E08000001").exists()


@pytest.mark.parametrize("component_codes", [["E08000007", "E08000007"], []])
def test_custom_areas_need_two_real_components(component_codes):
    with pytest.raises(ValueError):
        area_create_composite(code="MY-AREA", name="My area", component_codes=component_codes)


def test_the_service_raises_the_same_errors_as_the_command(snapshot, tmp_path):
    before = snapshot()
    with pytest.raises(CensusFileError) as raised:
        census_files_import(uploads=[CensusUpload("empty.csv", b"")])
    assert str(raised.value.issues[0]) == "empty.csv: the file is empty"
    assert snapshot() == before
