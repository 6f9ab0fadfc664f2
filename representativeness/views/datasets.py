"""A group's equality data against the census: upload, report (the survey report's builder, protection
and layout), download, delete."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.models import Team
from access.policy import Action, allowed, teams, visible
from access.views import UrlTarget, staff_view
from audit.services import Actor
from representativeness.disclosure import Audience, audience_for, protection_for
from representativeness.forms import DatasetUploadForm
from representativeness.models import GroupDataset
from representativeness.populations.datasets import DatasetError
from representativeness.reports.builder import ReportError
from representativeness.reports.sections import report_sections
from representativeness.services.datasets import dataset_census_report, dataset_delete, dataset_upload
from representativeness.views.downloads import report_download_response
from representativeness.views.reports import _form

DATASET = UrlTarget("dataset_id", "dataset", lambda pk: get_object_or_404(GroupDataset, pk=pk))
MAX_BYTES = 10 * 1024 * 1024


def dataset_from_form(
    form: DatasetUploadForm,
    *,
    team: Team,
    actor: Actor,
    then: Callable[[GroupDataset], object] | None = None,
) -> tuple[GroupDataset | None, list[str]]:
    """Store the counts of a valid upload form's file or typed counts (and do `then` with them, in the same
    transaction); or, when they cannot be read, put the error on the form and return the problems."""
    file_name, content, typed = form.upload()
    data = form.cleaned_data
    try:
        with transaction.atomic():
            dataset = dataset_upload(
                team=team,
                title=data["title"],
                file_name=file_name,
                data=content,
                minimum_age=data["minimum_age"],
                mappings_text=data["mappings"],
                actor=actor,
                typed=typed,
            )
            if then is not None:
                then(dataset)
    except DatasetError as error:
        where = "file" if data.get("file") else "counts"
        more = len(error.issues) - 20
        form.add_error(
            where,
            f"The {'file' if where == 'file' else 'counts'} cannot be read, and nothing has been saved"
            + (f" ({more} more problems not listed)" if more > 0 else ""),
        )
        return None, [str(issue) for issue in error.issues[:20]]
    return dataset, []


@staff_view(Action.DATASET_VIEW)
def dataset_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "representativeness/datasets/list.html",
        {
            "datasets": visible(request.user, GroupDataset.objects.select_related("team")),
            "can_upload": allowed(request.user, Action.DATASET_UPLOAD),
            "retention_days": settings.EQUALITY_RETENTION_DAYS,
        },
    )


@staff_view(Action.DATASET_UPLOAD, methods=["GET", "POST"])
def dataset_new(request: HttpRequest) -> HttpResponse:
    form = DatasetUploadForm(
        request.POST or None, request.FILES or None, teams=teams(request.user), max_bytes=MAX_BYTES
    )
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        dataset, issues = dataset_from_form(form, team=form.cleaned_data["team"], actor=Actor.from_request(request))
        if dataset is not None:
            not_used = dataset.counts.get("columns_not_used") or []
            messages.success(
                request,
                f"The counts of “{dataset.title}” have been saved; the file has not been kept."
                + (f" Columns not used: {', '.join(not_used)}." if not_used else ""),
            )
            return redirect("representativeness:dataset", dataset_id=dataset.pk)
    status = 400 if form.errors else 200
    return render(request, "representativeness/datasets/upload.html", {"form": form, "issues": issues}, status=status)


@staff_view(Action.DATASET_VIEW, target=DATASET)
def dataset_report(request: HttpRequest, dataset: GroupDataset) -> HttpResponse:
    form = _form(request)
    audience = audience_for(request.user, dataset)
    context: dict = {
        "dataset": dataset,
        "form": form,
        "can_delete": allowed(request.user, Action.DATASET_UPLOAD, dataset),
    }
    if form.is_bound and form.is_valid():
        try:
            report = dataset_census_report(dataset, area_code=form.cleaned_data["area"].code, audience=audience)
            context.update(report=report, sections=report_sections(report), query=f"area={report.area_code}")
        except ReportError as error:
            form.add_error(None, protection_for(audience=audience).error_text(error))
    return render(request, "representativeness/datasets/report.html", context, status=400 if form.errors else 200)


@staff_view(Action.DOWNLOAD, target=DATASET)
def dataset_download(request: HttpRequest, dataset: GroupDataset, file_format: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Choose an area to compare with.", status=400, content_type="text/plain")
    try:
        report = dataset_census_report(dataset, area_code=form.cleaned_data["area"].code, audience=Audience.PROTECTED)
    except ReportError as error:
        return HttpResponse(
            protection_for(audience=Audience.PROTECTED).error_text(error), status=400, content_type="text/plain"
        )
    return report_download_response(
        request, dataset, name=f"dataset-{dataset.pk}", file_format=file_format, report=report
    )


@staff_view(Action.DATASET_UPLOAD, target=DATASET, methods=["GET", "POST"])
def dataset_remove(request: HttpRequest, dataset: GroupDataset) -> HttpResponse:
    if request.method == "POST":
        dataset_delete(dataset=dataset, actor=Actor.from_request(request))
        messages.success(request, f"The counts of “{dataset.title}” have been deleted.")
        return redirect("representativeness:datasets")
    return render(request, "representativeness/datasets/delete.html", {"dataset": dataset})
