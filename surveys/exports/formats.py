from django.db import models


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (UTF-8, for spreadsheets and scripts)"
    XLSX = "xlsx", "Excel workbook, with the data dictionary"
    SAV = "sav", "SPSS (.sav), with variable and value labels"
