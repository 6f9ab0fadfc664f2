"""The officer's representativeness report page and its downloads."""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render

from common.tabular_export import csv_response, xlsx_response
from representativeness.reports.builder import Report, ReportError, report_build
from representativeness.reports.charts import ChartRow, comparison_chart
from representativeness.reports.forms import ReportFilterForm
from representativeness.reports.serialize import (
    CSV_HEADER,
    SUMMARY_HEADER,
    report_rows,
    report_summary_rows,
)
from surveys.models import EQUALITY_PERMISSION, Survey


def default_area_code() -> str | None:
    """The council's own area when its baselines are loaded, else the first area that has some."""
    queryset = ReportFilterForm.base_fields["area"].queryset  # type: ignore[attr-defined]
    first = queryset.filter(code=settings.COUNCIL["area_code"]).first() or queryset.first()
    return first.code if first is not None else None


def _form(request: HttpRequest) -> ReportFilterForm:
    data = request.GET.copy() if request.GET else QueryDict(mutable=True)
    if "area" not in data and (code := default_area_code()):
        data["area"] = code
    return ReportFilterForm(data)


def _charts(report: Report) -> list[dict]:
    sections = []
    for index, characteristic in enumerate(report.characteristics):
        rows = [
            ChartRow(
                label=str(row["category"]),
                share=row["share"],
                share_low=row.get("share_low"),
                share_high=row.get("share_high"),
                census_share=row["census_share"],
                flag=row["flag"],
                suppressed=bool(row["suppressed"]),
            )
            for row in characteristic.categories
        ]
        under = characteristic.under_represented
        caption = (
            f"{characteristic.label}: {', '.join(under)} under-represented"
            if under
            else f"{characteristic.label}: no group clearly under-represented"
        )
        sections.append(
            {
                "characteristic": characteristic,
                "caption": caption,
                "chart": comparison_chart(title=caption, rows=rows, chart_id=f"chart-{index}"),
                "outreach": [
                    row
                    for row in characteristic.categories
                    if row["flag"] == "under_represented" and row["outreach_needed"]
                ],
            }
        )
    return sections


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def report_page(request: HttpRequest, survey_id: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    form = _form(request)
    context: dict = {"survey": survey, "form": form, "can_view_equality": request.user.has_perm(EQUALITY_PERMISSION)}
    if form.is_bound and form.is_valid() and not form.refuse_filters_without_permission(request.user):
        try:
            report = report_build(survey=survey, suppress=not context["can_view_equality"], **form.filters())
            context.update(report=report, sections=_charts(report), query=request.GET.urlencode())
        except ReportError as error:
            form.add_error(None, str(error))
    status = 200 if not form.errors else 400
    return render(request, "representativeness/report.html", context, status=status)


def _exported_report(request: HttpRequest, survey: Survey) -> Report | HttpResponse:
    form = _form(request)
    if not form.is_valid() or form.refuse_filters_without_permission(request.user):
        return HttpResponse(
            "The report's filters are not valid: " + form.errors.as_text(), status=400, content_type="text/plain"
        )
    try:
        # Every export is suppressed, whoever asks: files travel further than screens.
        return report_build(survey=survey, suppress=True, **form.filters())
    except ReportError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")


@login_required
@permission_required("surveys.view_survey", raise_exception=True)
def report_download(request: HttpRequest, survey_id: str, file_format: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    report = _exported_report(request, survey)
    if isinstance(report, HttpResponse):
        return report
    name = f"{survey.slug}-representativeness-{report.area_code}"
    if file_format == "csv":
        return csv_response(f"{name}.csv", CSV_HEADER, report_rows(report))
    return xlsx_response(
        f"{name}.xlsx",
        [
            ("Categories", CSV_HEADER, list(report_rows(report))),
            ("Characteristics", SUMMARY_HEADER, list(report_summary_rows(report))),
            ("About", ["item", "value"], [["headline", report.headline], *(["note", n] for n in report.notes)]),
        ],
    )
