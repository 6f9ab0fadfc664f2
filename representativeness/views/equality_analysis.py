"""The officer's equality analysis page (answers by group) and its downloads."""

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.policy import Action
from access.views import staff_view
from audit.models import AuditAction
from audit.services import Actor, audit_record
from representativeness.disclosure import Audience, audience_for, protection_for
from representativeness.equality_analysis import (
    EqualityAnalysis,
    difference_rule_from_settings,
    equality_analysis_build,
)
from representativeness.equality_analysis.eqia import eqia_build, eqia_docx
from representativeness.equality_analysis.intersections import AnalysisIntersections, analysis_intersections
from representativeness.equality_analysis.lived_experience import group_sizes, lived_experience
from representativeness.equality_analysis.serialize import FILE_HEADER, file_rows
from representativeness.errors import ReportError
from representativeness.reports.forms import ReportFilterForm, with_default_area
from representativeness.reports.sections import report_sections
from representativeness.views.downloads import audited_table_download
from surveys.models import Survey
from surveys.targets import SURVEY


class AnalysisForm(forms.Form):
    weighted = forms.BooleanField(required=False, label="Also show the answers weighted to the census")
    area = forms.ModelChoiceField(
        queryset=ReportFilterForm.base_fields["area"].queryset,  # type: ignore[attr-defined]
        required=False,
        to_field_name="code",
        label="Census area to compare sex and age with, and to weight to",
        empty_label=None,
    )


def _form(request: HttpRequest) -> AnalysisForm:
    return AnalysisForm(with_default_area(request.GET))


@dataclass
class Built:
    """The answers by group, and the respondents by sex and age together against the census beside them."""

    analysis: EqualityAnalysis
    intersections: AnalysisIntersections


def _build(form: AnalysisForm, survey: Survey, audience: Audience) -> Built | None:
    """The analysis, or None with the form's error saying why; sex and age together beside it, or why not.
    The two are built apart: what stops the intersection never hides the answers by group."""
    if not form.is_valid():
        return None
    area = form.cleaned_data["area"]
    area_code = area.code if area is not None else None
    protection = protection_for(audience=audience, survey=survey)
    try:
        analysis = equality_analysis_build(
            survey=survey, audience=audience, weighted=form.cleaned_data["weighted"], area_code=area_code
        )
    except ReportError as error:
        form.add_error(None, protection.error_text(error))
        return None
    try:
        intersections = analysis_intersections(survey=survey, area_code=area_code, audience=audience)
    except ReportError as error:
        why = f"Sex and age together cannot be compared with the census: {protection.error_text(error)}"
        intersections = AnalysisIntersections(None, [why])
    return Built(analysis, intersections)


@staff_view(Action.EQUALITY_ANALYSIS_VIEW, target=SURVEY)
def analysis_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = _form(request)
    audience = audience_for(request.user, survey)
    built = _build(form, survey, audience)
    joint = built.intersections if built is not None else None
    context = {
        "survey": survey,
        "form": form,
        "analysis": built.analysis if built is not None else None,
        # Sex and age together, drawn as the report page draws them (its partial), with why when they are not.
        "joint": joint,
        "joint_sections": report_sections(joint.report, joint.characteristics) if joint and joint.report else [],
        "exact": audience is Audience.EXACT,
        # The flag rule the page explains, from the settings: there even when nothing could be analysed.
        "rule": built.analysis.rule if built is not None else difference_rule_from_settings(),
        "query": request.GET.urlencode(),
    }
    return render(request, "representativeness/equality_analysis.html", context, status=400 if form.errors else 200)


@staff_view(Action.DOWNLOAD, target=SURVEY)
def analysis_download(request: HttpRequest, survey: Survey, file_format: str) -> HttpResponse:
    form = _form(request)
    # Every file is protected, whoever makes it: files travel further than screens.
    built = _build(form, survey, Audience.PROTECTED)
    if built is None:
        return HttpResponse(
            "The analysis options are not valid: " + form.errors.as_text(), status=400, content_type="text/plain"
        )
    analysis = built.analysis
    return audited_table_download(
        request,
        survey,
        name=f"{survey.slug}-equality-analysis{'-weighted' if analysis.weighted else ''}",
        file_format=file_format,
        # The command's CSV rows: the answers, then sex and age together against the census.
        table=("Answers by group", FILE_HEADER, file_rows(analysis, built.intersections)),
        more_sheets=[
            (
                "Findings",
                ["finding"],
                [[f.text] for f in analysis.findings] + [[line] for line in analysis.too_few_to_tell],
            ),
        ],
    )


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@staff_view(Action.EQUALITY_ANALYSIS_VIEW, target=SURVEY)
def eqia_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The EqIA summary, printable. Protected whoever reads it: it is meant to be shared."""
    summary = eqia_build(survey=survey, area_code=_form(request).data.get("area"))
    return render(request, "representativeness/eqia.html", {"survey": survey, "summary": summary})


@staff_view(Action.DOWNLOAD, target=SURVEY)
def eqia_download(request: HttpRequest, survey: Survey) -> HttpResponse:
    summary = eqia_build(survey=survey, area_code=_form(request).data.get("area"))
    name = f"{survey.slug}-equality-impact-assessment.docx"
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.DOWNLOADED,
        target=survey,
        detail={"file": name, "query": request.GET.urlencode()},
    )
    response = HttpResponse(eqia_docx(summary), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view(Action.LIVED_EXPERIENCE_VIEW, target=SURVEY)
def lived_experience_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    """One group's free-text answers, for staff who may see equality data, where the group is large enough."""
    sizes = group_sizes(survey)
    chosen = request.GET.get("group", "")
    context: dict = {
        "survey": survey,
        "sizes": sizes,
        "chosen": chosen,
        "threshold": protection_for(audience=Audience.EXACT, survey=survey).threshold,
    }
    status = 200
    if chosen:
        key, _, group = chosen.partition(":")
        try:
            shown = lived_experience(survey=survey, key=key, group=group)
        except ReportError as error:
            context["error"] = str(error)
            status = 400
        else:
            audit_record(
                actor=Actor.from_request(request),
                action=AuditAction.EQUALITY_ANSWERS_VIEWED,
                target=survey,
                detail={"view": "lived experience", "characteristic": key, "group": group, "answers": shown.count},
            )
            context["shown"] = shown
    return render(request, "representativeness/lived_experience.html", context, status=status)
