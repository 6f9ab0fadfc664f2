"""Asking for an export of a survey's responses, watching it being written, and downloading it."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.policy import Action, allowed, require
from access.views import UrlTarget, staff_view
from audit.models import AuditAction
from audit.services import Actor, audit_record
from exports.files import export_path
from exports.forms import ExportForm
from exports.models import ResponseExport
from exports.services import export_request
from surveys.exports import CONTENT_TYPES, ExportFormat
from surveys.models import Survey
from surveys.targets import SURVEY

EXPORT = UrlTarget(
    "export_id",
    "export",
    lambda pk: get_object_or_404(ResponseExport.objects.select_related("survey", "requested_by"), pk=pk),
)


@staff_view(Action.DOWNLOAD, target=SURVEY, methods=["GET", "POST"])
def export_new(request: HttpRequest, survey: Survey) -> HttpResponse:
    may_include_equality = allowed(request.user, Action.EQUALITY_DATA_VIEW, survey)
    form = ExportForm(request.POST if request.method == "POST" else None, may_include_equality=may_include_equality)
    if request.method == "POST" and form.is_valid():
        export = export_request(
            survey=survey,
            file_format=form.cleaned_data["file_format"],
            with_equality=bool(form.cleaned_data.get("with_equality")),
            actor=Actor.from_request(request),
        )
        return redirect("exports:export", export_id=export.pk)
    earlier = ResponseExport.objects.filter(survey=survey, requested_by=request.user)[:10]
    return render(
        request,
        "exports/new.html",
        {"survey": survey, "form": form, "earlier": earlier},
        status=400 if form.errors else 200,
    )


def _require_about_you(request: HttpRequest, export: ResponseExport) -> None:
    if export.with_equality:
        require(request.user, Action.EQUALITY_DATA_VIEW, export)


@staff_view(Action.DOWNLOAD, target=EXPORT)
def export_status(request: HttpRequest, export: ResponseExport) -> HttpResponse:
    _require_about_you(request, export)
    return render(request, "exports/status.html", {"export": export, "survey": export.survey})


@staff_view(Action.DOWNLOAD, target=EXPORT)
def export_download(request: HttpRequest, export: ResponseExport) -> HttpResponse:
    _require_about_you(request, export)
    path = export_path(export.pk, export.file_format)
    if export.status != ResponseExport.Status.READY or not path.exists():
        return redirect("exports:export", export_id=export.pk)
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.DOWNLOADED,
        target=export.survey,
        detail={"export": str(export.pk), "file": export.file_name, "about_you": export.with_equality},
    )
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=export.file_name,
        content_type=CONTENT_TYPES[ExportFormat(export.file_format)],
    )
