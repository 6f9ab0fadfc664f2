"""What the report, weighting and equality-analysis downloads share: the file is recorded in the audit log,
then sent as CSV (one table) or XLSX (that table first, then any further sheets). Any population's report
(a survey's, a dataset's, an activity's attendees') is downloaded the same way, as CSV, XLSX or the report
command's JSON: `report_download_response`."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

from audit.models import AuditAction
from audit.services import Actor, audit_record
from common.tabular_export import csv_response, xlsx_response
from representativeness.reports.builder import Report
from representativeness.reports.serialize import (
    CSV_HEADER,
    SUMMARY_HEADER,
    report_as_json,
    report_rows,
    report_summary_rows,
)

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def _audit_download(request: HttpRequest, target: Any, file: str) -> None:
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.DOWNLOADED,
        target=target,
        detail={"file": file, "query": request.GET.urlencode()},
    )


def audited_table_download(
    request: HttpRequest,
    target: Any,
    *,
    name: str,
    file_format: str,
    table: Sheet,
    more_sheets: Sequence[Sheet] = (),
) -> HttpResponse:
    """`name` without its extension; `table` is (XLSX sheet title, header, rows); `target`: what the audit
    log records the download against (a survey, a dataset)."""
    _audit_download(request, target, f"{name}.{file_format}")
    title, header, rows = table
    if file_format == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", [(title, header, list(rows)), *more_sheets])


def report_download_response(
    request: HttpRequest, target: Any, *, name: str, file_format: str, report: Report
) -> HttpResponse:
    """A population's report as a file: its categories (CSV, or XLSX with its characteristics and notes), or
    the whole report in the report command's JSON layout (`json`). `report` is the protected audience's."""
    name = f"{name}-representativeness-{report.area_code}"
    if file_format == "json":
        _audit_download(request, target, f"{name}.json")
        response = HttpResponse(report_as_json(report), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    return audited_table_download(
        request,
        target,
        name=name,
        file_format=file_format,
        table=("Categories", CSV_HEADER, report_rows(report)),
        more_sheets=[
            ("Characteristics", SUMMARY_HEADER, report_summary_rows(report)),
            (
                "About",
                ["item", "value"],
                [
                    ["headline", report.headline],
                    *(["caveat", c] for c in report.caveats),
                    *(["note", n] for n in report.notes),
                ],
            ),
        ],
    )
