"""The officer's representativeness report page and its downloads."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import Action
from access.views import staff_view
from representativeness.disclosure import Audience, audience_for, protection_for
from representativeness.reports.builder import Report, ReportError, report_build
from representativeness.reports.forms import ReportFilterForm, with_default_area
from representativeness.reports.sections import report_sections
from representativeness.views.downloads import report_download_response
from surveys.models import Survey
from surveys.targets import SURVEY


def _form(request: HttpRequest) -> ReportFilterForm:
    return ReportFilterForm(with_default_area(request.GET))


@staff_view(Action.REPORT_VIEW, target=SURVEY)
def report_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = _form(request)
    audience = audience_for(request.user, survey)
    context: dict = {"survey": survey, "form": form, "can_view_equality": audience is Audience.EXACT}
    if form.is_bound and form.is_valid() and not form.refuse_filters_without_permission(request.user, survey):
        try:
            report = report_build(survey=survey, audience=audience, **form.filters())
            context.update(report=report, sections=report_sections(report), query=request.GET.urlencode())
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
