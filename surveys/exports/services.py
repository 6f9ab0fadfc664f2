"""Exporting a survey's responses to a file."""

from dataclasses import dataclass
from typing import IO

from surveys.exports.columns import export_columns
from surveys.exports.formats import ExportFormat
from surveys.exports.rows import export_rows, one_snapshot, stored_values
from surveys.exports.writers import Counted, write_csv, write_sav, write_xlsx
from surveys.models import Survey

WRITERS = {ExportFormat.CSV: write_csv, ExportFormat.XLSX: write_xlsx}


@dataclass(frozen=True)
class ExportResult:
    rows: int
    columns: int


def responses_export(*, survey: Survey, file_format: str, output: IO[bytes], with_equality: bool) -> ExportResult:
    """Write every response of `survey` to `output` (a binary file) in `file_format`.

    `with_equality` adds the About you columns: the caller must have asked the access policy
    (Action.EQUALITY_DATA_VIEW) and records the export in the audit log."""
    columns = export_columns(survey=survey, with_equality=with_equality)
    rows = Counted(export_rows(survey=survey, columns=columns))
    if ExportFormat(file_format) == ExportFormat.SAV:
        with one_snapshot():  # what the file's dictionary says of the rows, and then the rows, read alike
            write_sav(columns, rows, output, stored_values(survey=survey, columns=columns))
    else:
        WRITERS[ExportFormat(file_format)](columns, rows, output)
    return ExportResult(rows=rows.count, columns=len(columns))
