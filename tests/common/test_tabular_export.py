import io

from openpyxl import load_workbook

from common.tabular_export import csv_lines, safe_cell, xlsx_bytes


def test_text_that_a_spreadsheet_would_run_is_defused_and_numbers_stay_numbers():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+44 161") == "'+44 161"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-1") == "'-1"
    assert safe_cell(-0.04) == -0.04
    assert safe_cell(None) == ""
    assert safe_cell("Pakistani") == "Pakistani"


def test_csv_starts_with_a_byte_order_mark_for_excel():
    text = "".join(csv_lines(["category", "respondents"], [["Café", 12], ["=1+1", -3]]))
    assert text.startswith("\ufeffcategory,respondents\r\n")
    assert "Café,12\r\n" in text
    assert "'=1+1,-3\r\n" in text


def test_xlsx_has_a_sheet_per_table_with_the_same_numbers():
    data = xlsx_bytes([("Ethnic group", ["category", "share"], [["Indian", 0.25], ["=cmd", None]])])
    sheet = load_workbook(io.BytesIO(data))["Ethnic group"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["category", "share"],
        ["Indian", 0.25],
        ["'=cmd", None],
    ]
