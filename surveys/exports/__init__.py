"""Response exports: one row per response, one column per answer, in CSV, XLSX or SPSS .sav, with a data dictionary.

    from surveys.exports import ExportFormat, responses_export
    responses_export(survey=survey, file_format=ExportFormat.CSV, output=path, with_equality=False)

`columns` says which columns a survey has (from its questions), `rows` streams them from the database
(pivoted there, a chunk at a time), `writers` writes each format, `dictionary` describes the columns.
Who may export, and with About you columns or not, is the caller's to ask of the access policy.
"""

from surveys.exports.columns import Column, export_columns
from surveys.exports.dictionary import DICTIONARY_HEADER, dictionary_rows
from surveys.exports.formats import CONTENT_TYPES, ExportFormat
from surveys.exports.rows import export_rows
from surveys.exports.services import ExportResult, responses_export
from surveys.exports.spss import SavValueError
from surveys.exports.writers import csv_chunks

__all__ = [
    "CONTENT_TYPES",
    "DICTIONARY_HEADER",
    "Column",
    "ExportFormat",
    "ExportResult",
    "SavValueError",
    "csv_chunks",
    "dictionary_rows",
    "export_rows",
    "export_columns",
    "responses_export",
]
