"""Writing export rows as CSV, XLSX or SPSS .sav.

CSV and XLSX stream: the CSV a line at a time (common/tabular_export.py: UTF-8 with a byte order mark,
cells that would run as formulas escaped), the XLSX through openpyxl's write-only workbook (typed cells, a
bold frozen header, text that looks like a formula kept as text, the data dictionary as a second sheet).
An SPSS file is written by pyreadstat from one data frame of compact columns (numbers, and numeric codes
with value labels for answers), the one format that holds every row in memory while it is written.
"""

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from common.tabular_export import FORMULA_STARTS, csv_lines
from surveys.exports.columns import CODE, DATE, DATETIME, FLAG, NUMBER, Column
from surveys.exports.dictionary import DICTIONARY_HEADER, dictionary_rows, spss_codes, spss_name


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


def write_sav(columns: Sequence[Column], rows: Iterable[list[Any]], output: IO[bytes]) -> None:
    import pandas as pd
    import pyreadstat

    names = [spss_name(c.name) for c in columns]
    codes = [spss_codes(c) if c.kind == CODE else None for c in columns]
    data: list[list[Any]] = [[] for _ in columns]
    for row in rows:
        for i, value in enumerate(row):
            numbers = codes[i]
            if numbers is not None and value is not None:
                if value not in numbers:  # a value no longer offered: still coded, labelled by itself
                    numbers[value] = len(numbers) + 1
                value = numbers[value]
            elif isinstance(value, dt.datetime):
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            data[i].append(value)
    frame = pd.DataFrame(
        {name: _series(column, values) for name, column, values in zip(names, columns, data, strict=True)}
    )
    labels: dict[str, dict[float, str]] = {}
    for name, column, numbers in zip(names, columns, codes, strict=True):
        if numbers is not None:
            described = dict(column.codes)
            labels[name] = {float(n): described.get(value, value) for value, n in numbers.items()}
        elif column.kind == FLAG:
            labels[name] = {1.0: "Yes", 0.0: "No"}
    measure = {
        n: ("nominal" if c.kind in (CODE, FLAG, "text") else "scale") for n, c in zip(names, columns, strict=True)
    }
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            column_labels=[c.label[:255] for c in columns],
            variable_value_labels=labels,
            variable_measure=measure,
        )
        with open(path, "rb") as written:
            while block := written.read(1 << 20):
                output.write(block)
    finally:
        os.unlink(path)


def _series(column: Column, values: list[Any]) -> Any:
    import pandas as pd

    if column.kind in (CODE, FLAG, NUMBER):
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if column.kind == DATETIME:
        return pd.Series(pd.to_datetime(values))
    if column.kind == DATE:
        return pd.Series(pd.to_datetime(values))
    return pd.Series(["" if v is None else str(v) for v in values], dtype="object")
