"""The audit log for administrators: filtered by person, action and date, and downloaded as CSV."""

from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.policy import Action
from access.views import staff_view
from audit.models import AuditAction, AuditEntry
from audit.selectors import audit_entries
from audit.services import Actor, audit_record
from common.tabular_export import csv_response
from engagement.audit.forms import AuditFilterForm

CSV_HEADER = ("time", "person", "action", "object_type", "object_id", "object", "via", "ip_address", "detail")


def _form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET or None)


@staff_view(Action.AUDIT_VIEW)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    entries = audit_entries(**form.filters()) if not form.is_bound or form.is_valid() else AuditEntry.objects.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagement/audit/log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


def _rows(entries: Any) -> Iterator[list[Any]]:
    for entry in entries.iterator():
        yield [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor_name or "system",
            entry.get_action_display(),
            entry.object_type,
            entry.object_id,
            entry.object_label,
            entry.get_via_display(),
            entry.ip_address or "",
            "; ".join(f"{key}: {value}" for key, value in entry.detail.items()),
        ]


@staff_view(Action.AUDIT_VIEW)
def audit_download(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        message = "The filters are not valid: " + form.errors.as_text()
        return HttpResponse(message, status=400, content_type="text/plain")
    filters = form.filters()
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.DOWNLOADED,
        detail={"file": "audit log (CSV)", **{k: str(v) for k, v in filters.items() if v}},
    )
    name = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(name, CSV_HEADER, _rows(audit_entries(**filters)))
