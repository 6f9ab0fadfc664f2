"""Writing export rows as CSV, XLSX or SPSS .sav.

CSV and XLSX stream: the CSV a line at a time (common/tabular_export.py: UTF-8 with a byte order mark,
cells that would run as formulas escaped), the XLSX through openpyxl's write-only workbook (typed cells, a
bold frozen header, text that looks like a formula kept as text, the data dictionary as a second sheet).
An SPSS file streams too (`spss.py`, our own writer of the format): numbers, answers as numeric codes with
value labels, dates as SPSS dates, text as wide as its longest answer. Its dictionary comes before its
first row, so the caller measures the rows first (rows.stored_values): nothing is learnt from the rows.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from common.tabular_export import FORMULA_STARTS, csv_lines
from surveys.exports import spss
from surveys.exports.columns import CODE, DATE, DATETIME, FLAG, TEXT, Column
from surveys.exports.dictionary import DICTIONARY_HEADER, dictionary_rows, spss_codes, spss_names
from surveys.exports.rows import StoredValues
from surveys.exports.spss import SavValueError, SavWriter, Variable, spss_seconds


class Counted:
    """Rows passed through, counted."""

    def __init__(self, rows: Iterable[list[Any]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for row in self.rows:
            self.count += 1
            yield row


def _iso(columns: Sequence[Column], rows: Iterable[list[Any]]) -> Iterable[list[Any]]:
    timed = [i for i, c in enumerate(columns) if c.kind in (DATE, DATETIME)]
    for row in rows:
        for i in timed:
            if row[i] is not None:
                row[i] = row[i].isoformat()
        yield row


def csv_chunks(columns: Sequence[Column], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The CSV as UTF-8, about a thousand lines at a time (to stream as a download, or write to a file)."""
    buffer: list[str] = []
    for line in csv_lines([c.name for c in columns], _iso(columns, rows)):
        buffer.append(line)
        if len(buffer) >= 1000:
            yield "".join(buffer).encode()
            buffer.clear()
    yield "".join(buffer).encode()


def write_csv(columns: Sequence[Column], rows: Iterable[list[Any]], output: IO[bytes]) -> None:
    for chunk in csv_chunks(columns, rows):
        output.write(chunk)


def _xlsx_value(value: Any, sheet: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        return cell
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones: the column says UTC
    if isinstance(value, Decimal):
        return float(value)
    return value


def _xlsx_sheet(workbook: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_xlsx_value(v, sheet) for v in row])


def write_xlsx(columns: Sequence[Column], rows: Iterable[list[Any]], output: IO[bytes]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _xlsx_sheet(workbook, "Responses", [c.name for c in columns], rows)
    _xlsx_sheet(workbook, "Data dictionary", DICTIONARY_HEADER, dictionary_rows(columns))
    workbook.save(output)


def _sav_variable(column: Column, name: str, numbers: dict[str, int] | None, width: int) -> Variable:
    label = column.label[:255]
    if column.kind == TEXT:
        return Variable(name, label, width=max(width, 1))
    if numbers is not None:
        described = dict(column.codes)
        labels = tuple((float(n), described.get(value, value)) for value, n in numbers.items())
        return Variable(name, label, format=(spss.F, 8, 0), value_labels=labels)
    if column.kind == FLAG:
        return Variable(name, label, format=(spss.F, 8, 0), value_labels=((1.0, "Yes"), (0.0, "No")))
    if column.kind == DATE:
        return Variable(name, label, format=(spss.DATE, 11, 0), measure="scale")
    if column.kind == DATETIME:
        return Variable(name, label, format=(spss.DATETIME, 20, 0), measure="scale")
    return Variable(name, label, format=(spss.F, 10, 2), measure="scale")


def _sav_value(column: Column, numbers: dict[str, int] | None) -> Callable[[Any], Any]:
    """How an export value becomes the number (or text) SPSS stores."""
    if numbers is not None:

        def code(value: Any) -> float | None:
            if value is None:
                return None
            if value not in numbers:
                raise SavValueError(f"{column.name} has a new value: answers changed while exporting; export again")
            return float(numbers[value])

        return code
    if column.kind in (DATE, DATETIME):
        return lambda value: None if value is None else spss_seconds(value)
    if column.kind == TEXT:
        return lambda value: None if value is None else str(value)
    return lambda value: None if value is None else float(value)


def write_sav(columns: Sequence[Column], rows: Iterable[list[Any]], output: IO[bytes], stored: StoredValues) -> None:
    """Rows as they come, after a dictionary built from the columns and what `stored` measured of the rows."""
    codes: list[dict[str, int] | None] = []
    for index, column in enumerate(columns):
        numbers = None
        if column.kind == CODE:
            numbers = spss_codes(column)
            for value in stored.codes.get(index, ()):  # a value no longer offered: still coded, labelled by itself
                numbers.setdefault(value, len(numbers) + 1)
        codes.append(numbers)
    variables = [
        _sav_variable(column, name, numbers, stored.widths.get(index, 0))
        for index, (column, name, numbers) in enumerate(zip(columns, spss_names(columns), codes, strict=True))
    ]
    values = [_sav_value(column, numbers) for column, numbers in zip(columns, codes, strict=True)]
    with SavWriter(output, variables) as sav:
        for row in rows:
            sav.write([value(v) for value, v in zip(values, row, strict=True)])
