"""From the bytes of an uploaded or downloaded file to CSV rows, refusing what is not a CSV."""

import csv
import io
from dataclasses import dataclass

from representativeness.census.errors import IssueCollector

# settings.CENSUS_IMPORT_MAX_BYTES overrides this for the command and the upload page.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "it looks like an Excel workbook or a zip archive; download or save it as CSV"),
    (b"\xd0\xcf\x11\xe0", "it looks like an old Excel workbook; save it as CSV"),
    (b"%PDF", "it is a PDF"),
    (b"\x89PNG", "it is an image"),
    (b"\xff\xd8\xff", "it is an image"),
)


@dataclass(frozen=True)
class CsvRows:
    header: list[str]
    # (row number as a spreadsheet shows it, cells); blank lines are skipped but still counted
    rows: list[tuple[int, list[str]]]


def _decode(data: bytes, issues: IssueCollector) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in Windows-1252 unless told to use UTF-8.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise issues.fail("not a CSV file: the text is neither UTF-8 nor Windows-1252") from None


def read_csv_bytes(*, file_name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> CsvRows:
    """The header and data rows of a CSV file; CensusFileError (naming the file) when it is not one."""
    issues = IssueCollector(file_name)
    if len(data) > max_bytes:
        raise issues.fail(f"the file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
    if not data.strip():
        raise issues.fail("the file is empty")
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise issues.fail(f"not a CSV file: {what}")
    if b"\x00" in data:
        raise issues.fail("not a CSV file: it contains binary data")
    text = _decode(data, issues).lstrip("\ufeff")
    if text.lstrip().startswith("<"):
        raise issues.fail("not a CSV file: it looks like a web page (HTML) saved instead of the download")

    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if any(cell.strip() for cell in record):
                records.append((number, record))
    except csv.Error as error:
        raise issues.fail(f"not a CSV file: {error}", row=len(records) + 1) from None
    if not records:
        raise issues.fail("the file is empty")
    header_row, header = records[0]
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    if len(header) < 2:
        raise issues.fail("not a CSV file: the first row has only one column (is it comma-separated?)", row=header_row)
    if len(records) == 1:
        raise issues.fail("the file has a header row but no data rows", row=header_row + 1)
    return CsvRows(header=header, rows=records[1:])
