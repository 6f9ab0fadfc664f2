"""The officer's representativeness report page and its downloads."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import Action
from access.views import staff_view
from representativeness.disclosure import Audience, audience_for, protection_for
from representativeness.reports.builder import Report, ReportError, report_build
from representativeness.reports.charts import ChartRow, comparison_chart
from representativeness.reports.forms import ReportFilterForm, with_default_area
from representativeness.views.downloads import report_download_response
from surveys.models import Survey
from surveys.targets import SURVEY


def _form(request: HttpRequest) -> ReportFilterForm:
    return ReportFilterForm(with_default_area(request.GET))


def _charts(report: Report) -> list[dict]:
    sections = []
    # Intersections (sex and age together) after the one-characteristic comparisons, drawn the same way.
    for index, characteristic in enumerate([*report.characteristics, *report.intersections]):
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
        # The table's own flags, hidden groups counted as can't tell yet: never "no group under-represented"
        # while any could be.
        caption = f"{characteristic.label}: {report.finding(characteristic)}"
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


@staff_view(Action.REPORT_VIEW, target=SURVEY)
def report_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = _form(request)
    audience = audience_for(request.user, survey)
    context: dict = {"survey": survey, "form": form, "can_view_equality": audience is Audience.EXACT}
    if form.is_bound and form.is_valid() and not form.refuse_filters_without_permission(request.user, survey):
        try:
            report = report_build(survey=survey, audience=audience, **form.filters())
            context.update(report=report, sections=_charts(report), query=request.GET.urlencode())
        except ReportError as error:
            form.add_error(None, protection_for(audience=audience, survey=survey).error_text(error))
    status = 200 if not form.errors else 400
    return render(request, "representativeness/report.html", context, status=status)


def _exported_report(request: HttpRequest, survey: Survey) -> Report | HttpResponse:
    form = _form(request)
    if not form.is_valid() or form.refuse_filters_without_permission(request.user, survey):
        return HttpResponse(
            "The report's filters are not valid: " + form.errors.as_text(), status=400, content_type="text/plain"
        )
    try:
        # Every export is protected, whoever asks: files travel further than screens.
        return report_build(survey=survey, audience=Audience.PROTECTED, **form.filters())
    except ReportError as error:
        text = protection_for(audience=Audience.PROTECTED, survey=survey).error_text(error)
        return HttpResponse(text, status=400, content_type="text/plain")


@staff_view(Action.DOWNLOAD, target=SURVEY)
def report_download(request: HttpRequest, survey: Survey, file_format: str) -> HttpResponse:
    report = _exported_report(request, survey)
    if isinstance(report, HttpResponse):
        return report
    return report_download_response(request, survey, name=survey.slug, file_format=file_format, report=report)
