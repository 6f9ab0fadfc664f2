from django.db import models

from common.tabular_export import XLSX_CONTENT_TYPE


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (UTF-8, for spreadsheets and scripts)"
    XLSX = "xlsx", "Excel workbook, with the data dictionary"
    SAV = "sav", "SPSS (.sav), with variable and value labels"


# What each file is sent as, by the web download and the API alike (Python's mimetypes knows no .sav, so a
# file response would otherwise say application/octet-stream).
CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: XLSX_CONTENT_TYPE,
    ExportFormat.SAV: "application/x-spss-sav",
}
