"""Nomis bulk downloads (census2021-tsNNN-<geography>.csv): one row per area, one column per category.

The header is `date,geography,geography code`, then `<Dimension>: <category>` with or without
"; measures: Value", total and subtotal columns beside the detailed ones. Headers are usually quoted
where they contain commas, but files saved by hand sometimes are not: a header that splits into more
cells than the data rows is put back together where every piece of a category starts with the
dimension name.
"""

import re

from representativeness.census.cells import Cell, Place, RawTable
from representativeness.census.choices import SourceFormat
from representativeness.census.errors import IssueCollector
from representativeness.census.formats import header_key
from representativeness.census.labels import strip_measures_suffix
from representativeness.census.reading import CsvRows

_FILE_NAME_TABLE = re.compile(r"census2021-(ts\d{3}[a-z]?)\b", re.IGNORECASE)
_MEASURES = re.compile(r";\s*measures\s*:\s*(.+)$", re.IGNORECASE)
_FIXED = ("date", "geography", "geography code")


def table_from_file_name(file_name: str) -> str | None:
    match = _FILE_NAME_TABLE.search(file_name)
    return match.group(1).upper() if match else None


def _dimension_of(name: str) -> str:
    return name.split(":", 1)[0].strip() if ":" in name else ""


def _rejoin_header(header: list[str], width: int) -> list[str] | None:
    """Undo an unquoted header split on the commas inside category names, if that explains the width."""
    dimension = next((_dimension_of(h) for h in header if header_key(h) not in _FIXED and ":" in h), "")
    if not dimension:
        return None
    joined: list[str] = []
    for piece in header:
        starts_column = header_key(piece) in _FIXED or piece.startswith(f"{dimension}:")
        if starts_column or not joined:
            joined.append(piece)
        else:
            joined[-1] = f"{joined[-1]}, {piece.strip()}"  # ONS names always put a space after a comma
    return joined if len(joined) == width else None


def _rejoin_row(row: list[str], width: int, name_index: int) -> list[str]:
    """Undo an unquoted area name split on its commas ("Bristol, City of")."""
    extra = len(row) - width
    if extra <= 0 or name_index < 0:
        return row
    return [*row[:name_index], ",".join(row[name_index : name_index + extra + 1]), *row[name_index + extra + 1 :]]


def parse_nomis_bulk(*, file_name: str, csv_rows: CsvRows, issues: IssueCollector) -> RawTable:
    header = csv_rows.header
    widths = [len(row) for _, row in csv_rows.rows]
    typical = max(set(widths), key=widths.count)
    if len(header) > typical:
        header = _rejoin_header(header, typical) or header
    keys = [header_key(h) for h in header]
    if "geography code" not in keys:
        raise issues.fail(
            "missing geography column: a Nomis bulk file needs a column headed 'geography code'",
            row=1,
            column_name="geography code",
        )
    code_index = keys.index("geography code")
    name_index = keys.index("geography") if "geography" in keys else -1

    raw = RawTable(format=SourceFormat.NOMIS_BULK, table_hint=table_from_file_name(file_name))
    categories: list[tuple[int, str]] = []
    for index, name in enumerate(header):
        if keys[index] in _FIXED or not name:
            continue
        measure = _MEASURES.search(name)
        if measure and header_key(measure.group(1)) != "value":
            continue  # percentage columns, where a download has them, are not counts
        name = strip_measures_suffix(name)
        if ":" not in name:
            issues.add(
                "not a census category column: expected '<topic>: <category>'",
                row=1,
                column=index + 1,
                column_name=name,
            )
            continue
        raw.dimension = raw.dimension or _dimension_of(name)
        categories.append((index, name.split(":", 1)[1].strip()))
    if not categories:
        raise issues.fail("no category columns after 'date,geography,geography code'", row=1)

    for row_number, row in csv_rows.rows:
        row = _rejoin_row(row, len(header), name_index if name_index < code_index else -1)
        if len(row) < len(header):
            issues.add(f"the row has {len(row)} columns but the header has {len(header)}", row=row_number)
            continue
        code = row[code_index].strip()
        name = row[name_index].strip() if name_index >= 0 else code
        area_at = Place(row_number, code_index + 1, header[code_index])
        for index, label in categories:
            raw.cells.append(
                Cell(
                    area_code=code,
                    area_name=name or code,
                    label=label,
                    sex_label=None,
                    raw_count=row[index],
                    count_at=Place(row_number, index + 1, header[index]),
                    label_at=Place(1, index + 1, header[index]),
                    area_at=area_at,
                )
            )
    return raw
