"""What the report, weighting and equality-analysis downloads share: the file is recorded in the audit log,
then sent as CSV (one table) or XLSX (that table first, then any further sheets)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

from audit.models import AuditAction
from audit.services import Actor, audit_record
from common.tabular_export import csv_response, xlsx_response
from surveys.models import Survey

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def audited_table_download(
    request: HttpRequest,
    survey: Survey,
    *,
    name: str,
    file_format: str,
    table: Sheet,
    more_sheets: Sequence[Sheet] = (),
) -> HttpResponse:
    """`name` without its extension; `table` is (XLSX sheet title, header, rows)."""
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.DOWNLOADED,
        target=survey,
        detail={"file": f"{name}.{file_format}", "query": request.GET.urlencode()},
    )
    title, header, rows = table
    if file_format == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", [(title, header, list(rows)), *more_sheets])
