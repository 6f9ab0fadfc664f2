"""The officer's equality analysis page (answers by group) and its downloads."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import Action
from access.views import staff_view
from audit.models import AuditAction
from audit.services import Actor, audit_record
from common.tabular_export import csv_response, xlsx_response
from representativeness.disclosure import Audience, audience_for, protection_for
from representativeness.equality_analysis import EqualityAnalysis, equality_analysis_build
from representativeness.equality_analysis.serialize import CSV_HEADER, analysis_rows
from representativeness.errors import ReportError
from representativeness.reports.forms import ReportFilterForm
from representativeness.views.reports import default_area_code
from surveys.models import Survey
from surveys.targets import SURVEY


class AnalysisForm(forms.Form):
    weighted = forms.BooleanField(required=False, label="Also show the answers weighted to the census")
    area = forms.ModelChoiceField(
        queryset=ReportFilterForm.base_fields["area"].queryset,  # type: ignore[attr-defined]
        required=False,
        to_field_name="code",
        label="Census area to weight to",
        empty_label=None,
    )


def _form(request: HttpRequest) -> AnalysisForm:
    data = request.GET.copy()
    if "area" not in data and (code := default_area_code()):
        data["area"] = code
    return AnalysisForm(data)


def _build(form: AnalysisForm, survey: Survey, audience: Audience) -> EqualityAnalysis | None:
    if not form.is_valid():
        return None
    area = form.cleaned_data["area"]
    try:
        return equality_analysis_build(
            survey=survey,
            audience=audience,
            weighted=form.cleaned_data["weighted"],
            area_code=area.code if area is not None else None,
        )
    except ReportError as error:
        form.add_error(None, protection_for(audience=audience, survey=survey).error_text(error))
        return None


@staff_view(Action.EQUALITY_ANALYSIS_VIEW, target=SURVEY)
def analysis_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = _form(request)
    audience = audience_for(request.user, survey)
    analysis = _build(form, survey, audience)
    context = {
        "survey": survey,
        "form": form,
        "analysis": analysis,
        "exact": audience is Audience.EXACT,
        "query": request.GET.urlencode(),
    }
    return render(request, "representativeness/equality_analysis.html", context, status=400 if form.errors else 200)


@staff_view(Action.DOWNLOAD, target=SURVEY)
def analysis_download(request: HttpRequest, survey: Survey, file_format: str) -> HttpResponse:
    form = _form(request)
    # Every file is protected, whoever makes it: files travel further than screens.
    analysis = _build(form, survey, Audience.PROTECTED)
    if analysis is None:
        return HttpResponse(
            "The analysis options are not valid: " + form.errors.as_text(), status=400, content_type="text/plain"
        )
    name = f"{survey.slug}-equality-analysis{'-weighted' if analysis.weighted else ''}"
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.DOWNLOADED,
        target=survey,
        detail={"file": f"{name}.{file_format}", "query": request.GET.urlencode()},
    )
    if file_format == "csv":
        return csv_response(f"{name}.csv", CSV_HEADER, analysis_rows(analysis))
    return xlsx_response(
        f"{name}.xlsx",
        [
            ("Answers by group", CSV_HEADER, list(analysis_rows(analysis))),
            (
                "Findings",
                ["finding"],
                [[f.text] for f in analysis.findings] + [[line] for line in analysis.too_few_to_tell],
            ),
        ],
    )
