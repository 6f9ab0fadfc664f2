"""Reading a service's equality data: labels as services hold them, merged where coarser than the census,
and every problem named by row, column and label."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from representativeness.populations.datasets import (
    DatasetError,
    dataset_counts,
    merge_groups,
    table_rows,
)
from representativeness.populations.vocabulary import NHS_ETHNIC_CATEGORIES

ON = dt.date(2027, 1, 1)
WHITE_OTHER = "Gypsy or Irish Traveller / Roma / Other White"


def read(text: str, **kwargs):
    header, rows = table_rows(file_name="data.csv", data=text.encode())
    return dataset_counts(header, rows, on=ON, **kwargs)


def test_one_row_per_person_with_census_labels_standard_options_and_other_columns_left_out():
    counts = read(
        "ID,Age,Sex,Religion,Postcode\n"
        "1,34,Female,No religion,M1 1AA\n"
        "2,71,male,christian,M1 1AB\n"
        "3,,F,Prefer not to say,\n"
        "4,17,M,,\n"
    )
    assert counts.people == 4
    assert counts.characteristics["sex"].by_category == {"Female": 2, "Male": 2}
    religion = counts.characteristics["religion"]
    assert religion.by_category == {"No religion": 1, "Christian": 1}
    assert (religion.prefer_not_to_say, religion.skipped) == (1, 1)
    assert counts.ages == {34: 1, 71: 1, 17: 1} and counts.age_unknown == 1
    assert counts.columns_read == ["Age", "Sex", "Religion"] and counts.columns_ignored == ["ID", "Postcode"]


def test_dates_of_birth_become_ages_on_the_day():
    counts = read("Date of birth\n2000-01-01\n02/01/2000\n")
    assert counts.ages == {27: 1, 26: 1}


@pytest.mark.parametrize(
    "label",
    ["C", "C - White - Any other White background", "White - Any other White background", "Any other White background"],
)
def test_the_nhs_any_other_white_background_merges_the_census_categories_it_covers(label):
    counts = read(f"Ethnicity\n{label}\nA\nWhite - Irish\n")
    ethnic = counts.characteristics["ethnic_group"]
    assert ethnic.by_category == {
        WHITE_OTHER: 1,
        "English, Welsh, Scottish, Northern Irish or British": 1,
        "Irish": 1,
    }
    assert ethnic.merged == {WHITE_OTHER: ("Gypsy or Irish Traveller", "Roma", "Other White")}


def test_a_file_that_names_roma_apart_keeps_roma_apart():
    counts = read("Ethnicity\nAny other White background\nRoma\nS\n")
    ethnic = counts.characteristics["ethnic_group"]
    assert ethnic.by_category == {
        "Gypsy or Irish Traveller / Other White": 1,
        "Roma": 1,
        "Arab / Any other ethnic group": 1,
    }


def test_every_nhs_code_is_read():
    counts = read("Ethnicity\n" + "\n".join(code for code, *_ in NHS_ETHNIC_CATEGORIES) + "\nZ\n")
    ethnic = counts.characteristics["ethnic_group"]
    assert ethnic.answered == len(NHS_ETHNIC_CATEGORIES) and ethnic.prefer_not_to_say == 1


@pytest.mark.parametrize("label", ["Z", "Z - Not stated", "Not stated", "not stated"])
def test_the_nhs_not_stated_is_one_non_answer_in_every_form(label):
    ethnic = read(f"Ethnicity Code\nA\n{label}\n").characteristics["ethnic_group"]
    assert (ethnic.answered, ethnic.prefer_not_to_say, ethnic.skipped) == (1, 1, 0)


def test_unknown_labels_and_bad_ages_are_named_by_row_column_and_label():
    with pytest.raises(DatasetError) as caught:
        read("Sex,Ethnicity,Age\nFemale,Martian,40\nQ,A,two\n")
    messages = [str(issue) for issue in caught.value.issues]
    assert messages == [
        "Row 2, column “Ethnicity”: “Martian” is not a category of ethnic group this service knows: map it to a "
        "census category, or correct the file",
        "Row 3, column “Age”: “two” is not an age or an age band: give an age in whole years (16) or a band such as "
        "16 to 24, 16-24, 65 and over, 65+ or under 16, from 0 to 120",
        "Row 3, column “Sex”: “Q” is not a category of sex this service knows: map it to a census category, or "
        "correct the file",
    ]


def test_an_unknown_label_can_be_mapped():
    counts = read("Sex,Ethnicity\nFemale,Martian\n", mappings={("Ethnicity", "martian"): "Any other ethnic group"})
    assert counts.characteristics["ethnic_group"].answered == 1


def test_counts_per_category():
    counts = read(
        'Characteristic,Category,Count\nsex,Female,120\nsex,Male,"1,080"\nEthnicity,S,30\nethnicity,Arab,5\n'
        "sex,Not stated,3\n"
    )
    assert counts.people == 1203
    assert counts.characteristics["sex"].by_category == {"Female": 120, "Male": 1080}
    assert counts.characteristics["ethnic_group"].by_category == {"Any other ethnic group": 30, "Arab": 5}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("sex,Female,-4", "Row 2, column “Count”: The count “-4” is negative"),
        ("sex,Female,many", "Row 2, column “Count”: The count “many” is not a whole number"),
        ("sex,Female,", "Row 2, column “Count”: The count “” is not a whole number"),
        ("height,Tall,4", "Row 2, column “Characteristic”: “height” is not a characteristic"),
    ],
)
def test_bad_counts_are_refused(row, message):
    with pytest.raises(DatasetError) as caught:
        read(f"Characteristic,Category,Count\n{row}\n")
    assert str(caught.value.issues[0]).startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("Name,Postcode\nA,M1\n", "Row 1: No column of equality data"),
        ("Characteristic,Category\nsex,Female\n", "Row 1: No column of equality data"),
    ],
)
def test_files_without_the_columns_needed_are_refused(text, message):
    with pytest.raises(DatasetError) as caught:
        read(text)
    assert str(caught.value).startswith(message)


def test_an_xlsx_that_is_not_a_workbook_is_refused():
    with pytest.raises(DatasetError, match="not a readable XLSX"):
        table_rows(file_name="data.xlsx", data=b"PK\x03\x04 not really a zip")


def test_an_xlsx_that_unpacks_to_more_than_can_be_read_is_refused_before_it_is_read():
    # A few kilobytes that unpack to a sheet of 200,000 rows: read, it held a web server for minutes.
    import io
    import zipfile

    row = (
        '<row><c t="n"><v>30</v></c><c t="inlineStr"><is><t>Female</t></is></c>'
        '<c t="inlineStr"><is><t>White - British</t></is></c></row>'
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + '<row><c t="inlineStr"><is><t>Age</t></is></c><c t="inlineStr"><is><t>Sex</t></is></c></row>'
        + row * 200_000
        + "</sheetData></worksheet>"
    )
    book = io.BytesIO()
    openpyxl_book(book)
    packed = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in source.infolist():
            bomb.writestr(part.filename, sheet if part.filename == "xl/worksheets/sheet1.xml" else source.read(part))
    assert len(packed.getvalue()) < 1024 * 1024
    with pytest.raises(DatasetError) as caught:
        table_rows(file_name="data.xlsx", data=packed.getvalue())
    assert str(caught.value).startswith("The workbook holds too much to read: it unpacks to 24 MB, more than 20 MB.")


def openpyxl_book(into) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Sex"])
    book.save(into)


def test_an_xlsx_workbook_is_read():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Sex", "Date of birth"])
    book.active.append(["Female", dt.datetime(1990, 6, 1)])
    data = io.BytesIO()
    book.save(data)
    header, rows = table_rows(file_name="data.xlsx", data=data.getvalue())
    counts = dataset_counts(header, rows, on=ON)
    assert counts.characteristics["sex"].by_category == {"Female": 1} and counts.ages == {36: 1}


CATEGORY_SETS = st.lists(
    st.sampled_from(
        [
            ("Gypsy or Irish Traveller",),
            ("Roma",),
            ("Other White",),
            ("Gypsy or Irish Traveller", "Roma", "Other White"),
            ("Irish",),
            ("Arab", "Any other ethnic group"),
            ("Arab",),
        ]
    ),
    min_size=1,
    max_size=8,
)


@given(CATEGORY_SETS)
def test_merged_groups_never_overlap_and_cover_what_the_labels_name(sets):
    groups = merge_groups(sets)
    seen = [c for g in groups for c in g]
    assert len(seen) == len(set(seen))
    named_alone = {s[0] for s in sets if len(s) == 1}
    assert named_alone <= set(seen)


@given(
    st.lists(
        st.tuples(st.sampled_from(["Female", "Male", "F", "m", "Prefer not to say", ""]), st.integers(0, 120)),
        max_size=40,
    )
)
def test_every_person_is_counted_once(people):
    text = "Sex,Age\n" + "".join(f"{sex},{age}\n" for sex, age in people)
    if not people:
        with pytest.raises(DatasetError):
            read(text)
        return
    counts = read(text)
    sex = counts.characteristics["sex"]
    assert sex.answered + sex.prefer_not_to_say + sex.skipped == len(people) == counts.people
    assert sum(counts.ages.values()) + counts.age_unknown == len(people)


@given(st.text(max_size=30))
def test_any_label_is_read_or_refused_with_its_row_and_column(label):
    header, rows = ["Religion"], [(2, [label])]
    try:
        counts = dataset_counts(header, rows, on=ON)
    except DatasetError as error:
        assert error.issues[0].row == 2 and error.issues[0].column == "Religion"
    else:
        assert counts.people == 1


@pytest.mark.parametrize(
    "rows",
    [
        "Sex,Female,99999999999999999999999",
        "Sex,Female,9000000000000000000\nSex,Male,9000000000000000000",
        "Sex,Female," + "9" * 5000,
    ],
)
def test_a_count_too_large_is_refused_naming_row_and_column(rows):
    with pytest.raises(DatasetError) as caught:
        read(f"Characteristic,Category,Count\n{rows}\n")
    assert str(caught.value.issues[0]).startswith("Row 2, column “Count”: The count “")
    assert "is too large: a count can be at most 100,000,000" in str(caught.value.issues[0])


def test_a_binary_file_named_csv_is_refused_as_not_a_csv_text_file():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    with pytest.raises(DatasetError, match="The file is not a CSV text file"):
        table_rows(file_name="fake.csv", data=png)


def typed(text: str):
    from representativeness.populations.datasets import typed_rows

    header, rows = typed_rows(text)
    return dataset_counts(header, rows, on=ON)


def test_typed_census_labels_may_hold_commas_and_counts_thousands():
    counts = typed(
        "ethnic group, English, Welsh, Scottish, Northern Irish or British, 6\n"
        '"ethnic group","Gypsy or Irish Traveller",4\n'
        "sex, Male, 1,080\nage,16,3\n"
    )
    assert counts.characteristics["ethnic_group"].by_category == {
        "English, Welsh, Scottish, Northern Irish or British": 6,
        "Gypsy or Irish Traveller": 4,
    }
    assert counts.characteristics["sex"].by_category == {"Male": 1080}
    assert counts.ages == {16: 3}


def test_typed_lines_are_numbered_from_line_1():
    from representativeness.populations.datasets import typed_issues, typed_rows

    with pytest.raises(DatasetError) as caught:
        try:
            header, rows = typed_rows("sex, Female, 10\n\nsex, Female, lots\nnothing here\n")
        except DatasetError as error:
            raise typed_issues(error) from None
    assert [str(i) for i in caught.value.issues] == [
        "Line 4: “nothing here” must be characteristic, category, count, like sex, Female, 12"
    ]
    header, rows = typed_rows("sex, Female, 10\n\nsex, Female, lots\n")
    with pytest.raises(DatasetError) as caught:
        try:
            dataset_counts(header, rows, on=ON)
        except DatasetError as error:
            raise typed_issues(error) from None
    assert str(caught.value.issues[0]).startswith("Line 3, column “Count”: The count “lots” is not a whole number")


def test_the_censuss_broad_disability_labels_are_read_and_compared_at_that_level():
    counts = read(
        "Disability\nDisabled under the Equality Act\nNot disabled under the Equality Act\n"
        "Not disabled under the Equality Act\n"
    )
    disability = counts.characteristics["disability"]
    disabled = "Day-to-day activities limited a lot / Day-to-day activities limited a little"
    not_disabled = (
        "Has long term physical or mental health condition but day-to-day activities are not limited"
        " / No long term physical or mental health conditions"
    )
    assert disability.by_category == {disabled: 1, not_disabled: 2}
    assert set(disability.merged) == {disabled, not_disabled}


def test_broad_ethnic_groups_only_are_compared_as_broad_groups():
    counts = read('Ethnicity\nWhite\nWhite\n"Asian, Asian British or Asian Welsh"\nMixed or Multiple ethnic groups\n')
    ethnic = counts.characteristics["ethnic_group"]
    assert ethnic.merged[
        "English, Welsh, Scottish, Northern Irish or British / Irish / Gypsy or Irish Traveller / Roma / Other White"
    ] == (
        "English, Welsh, Scottish, Northern Irish or British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Roma",
        "Other White",
    )
    assert sorted(ethnic.by_category.values()) == [1, 1, 2]


def test_typed_broad_census_labels_hold_commas():
    ethnic = typed("ethnic group, Asian, Asian British or Asian Welsh, 6\n").characteristics["ethnic_group"]
    assert ethnic.answered == 6
    assert [set(parts) for parts in ethnic.merged.values()] == [
        {"Indian", "Pakistani", "Bangladeshi", "Chinese", "Other Asian"}
    ]
