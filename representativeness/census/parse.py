"""Reading one census file, whichever of the four formats it is in."""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from representativeness.census.cells import RawTable
from representativeness.census.choices import SourceFormat
from representativeness.census.errors import CensusFileError, CensusIssue, IssueCollector
from representativeness.census.formats import EXPECTED_HEADERS, detect_format
from representativeness.census.long_format import parse_long
from representativeness.census.nomis_api import parse_nomis_api
from representativeness.census.nomis_bulk import parse_nomis_bulk
from representativeness.census.ons_custom import parse_ons_custom
from representativeness.census.parsed import ParsedCensusFile
from representativeness.census.reading import DEFAULT_MAX_BYTES, CsvRows, read_csv_bytes
from representativeness.census.topic_summary import parse_topic_summary
from representativeness.census.validation import check_cells

Parser = Callable[..., RawTable]

PARSERS: dict[SourceFormat, Parser] = {
    SourceFormat.NOMIS_BULK: parse_nomis_bulk,
    SourceFormat.ONS_CUSTOM: parse_ons_custom,
    SourceFormat.NOMIS_API: parse_nomis_api,
    SourceFormat.LONG: parse_long,
    SourceFormat.TOPIC_SUMMARY: parse_topic_summary,
}


@dataclass(frozen=True)
class CensusUpload:
    """A file to import, by name (for messages and the record of where a baseline came from) and content."""

    file_name: str
    data: bytes


def census_files_parse(
    *, uploads: Sequence[CensusUpload], area_codes: Collection[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[ParsedCensusFile]:
    """Read and check every file, optionally keeping only some areas.

    Every file is read before anything is reported, so one run lists the problems of all of them.
    A requested area that no file has is a problem; a file with none of them is left out.
    """
    parsed: list[ParsedCensusFile] = []
    issues: list[CensusIssue] = []
    for upload in uploads:
        try:
            parsed.append(census_file_parse(file_name=upload.file_name, data=upload.data, max_bytes=max_bytes))
        except CensusFileError as error:
            issues.extend(error.issues)
    if issues:
        raise CensusFileError(issues)
    if area_codes:
        wanted = [code.strip().upper() for code in area_codes if code.strip()]
        found = {code for file in parsed for code in file.area_codes}
        missing = [code for code in wanted if code not in found]
        if missing:
            names = ", ".join(u.file_name for u in uploads)
            raise CensusFileError(
                [
                    CensusIssue(names, f"area {code} is not in the file{'s' if len(uploads) > 1 else ''}")
                    for code in missing
                ]
            )
        parsed = [kept for file in parsed if (kept := file.restricted_to(wanted)).areas]
    return parsed


def census_file_parse(*, file_name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedCensusFile:
    """Read and check a census file. Raises CensusFileError listing every problem found (file, row, column)."""
    issues = IssueCollector(file_name)
    csv_rows: CsvRows = read_csv_bytes(file_name=file_name, data=data, max_bytes=max_bytes)
    source_format = detect_format(csv_rows.header)
    if source_format is None:
        raise issues.fail(f"not a census file Chorus recognises from its header row: {EXPECTED_HEADERS}", row=1)
    raw = PARSERS[source_format](file_name=file_name, csv_rows=csv_rows, issues=issues)
    table, areas = check_cells(raw, issues)
    issues.raise_if_any()
    return ParsedCensusFile(file_name=file_name, format=source_format, table=table, areas=tuple(areas))
