"""Census baselines (list, import), the representativeness report (of a survey, or of an uploaded dataset)
and the weighted results, as JSON.

The report is the report command's stable layout (`report_as_dict`, layout_version 1), and like every
download it is protected whoever asks (docs/disclosure-control.md): small counts hidden, derived
figures rounded. The weighted results give what their download gives.
"""

from typing import Any

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from access.policy import Action
from common.api.errors import FieldError
from common.api.forms import form_validated
from common.api.serializers import ERRORS
from representativeness.census import CensusFileError, CensusIssue, CensusUpload
from representativeness.disclosure import Audience, protection_for
from representativeness.errors import ReportError
from representativeness.models import GroupDataset
from representativeness.reports.builder import report_build
from representativeness.reports.forms import FILTERS_NEED_PERMISSION, ReportFilterForm, WeightingForm, with_default_area
from representativeness.reports.serialize import JSON_LAYOUT_VERSION, report_as_dict
from representativeness.selectors import baseline_list
from representativeness.services import census_files_import, census_max_bytes
from representativeness.services.datasets import dataset_census_report
from representativeness.views.weighting import RESULT_HEADER, result_rows
from representativeness.weighting import DEFAULT_CHARACTERISTICS, weighting_run
from surveys.api.scoped import SurveyScoped, api_actor
from surveys.models import Survey


class BaselineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area_code = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    area_level = serializers.CharField(source="area.level")
    table = serializers.CharField()
    population_base = serializers.CharField()
    total = serializers.IntegerField(source="total_count", allow_null=True)
    source_file_name = serializers.CharField()
    source_format = serializers.CharField()
    imported_at = serializers.DateTimeField()


class BaselineList(generics.ListAPIView):
    """Every census baseline stored: one table for one area, with its all-persons total."""

    policy = {"get": Action.BASELINE_VIEW}
    serializer_class = BaselineSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return baseline_list()


class ImportedSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    format = serializers.CharField(source="format_label")
    table = serializers.CharField()
    area_codes = serializers.ListField(child=serializers.CharField())
    replaced = serializers.ListField(child=serializers.CharField(), help_text="Areas whose table this replaced.")


class BaselineImport(APIView):
    """Import Census 2021 files as `import_census` does: every file checked first; any problem imports nothing."""

    policy = {"post": Action.BASELINE_IMPORT}
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "CensusFiles",
                {
                    "files": serializers.ListField(child=serializers.FileField()),
                    "area": serializers.ListField(child=serializers.CharField(), required=False),
                },
            )
        },
        responses={201: ImportedSerializer(many=True), **ERRORS},
    )
    def post(self, request: Request) -> ApiResponse:
        files = request.FILES.getlist("files")
        if not files:
            raise FieldError("files", "Choose at least one census file (CSV) to import.")
        max_bytes = census_max_bytes()
        uploads, problems = [], []
        for upload in files:
            if upload.size > max_bytes:
                problems.append(
                    CensusIssue(upload.name, f"the file is {upload.size:,} bytes, over the limit of {max_bytes:,}")
                )
            else:
                uploads.append(CensusUpload(file_name=upload.name, data=upload.read()))
        codes = [code.strip() for value in request.data.getlist("area") for code in value.split(",") if code.strip()]
        try:
            if problems:
                raise CensusFileError(problems)
            imported = census_files_import(uploads=uploads, area_codes=codes or None, actor=api_actor(request))
        except CensusFileError as error:
            raise serializers.ValidationError({"files": [str(issue) for issue in error.issues]}) from None
        return ApiResponse(ImportedSerializer(imported, many=True).data, status=status.HTTP_201_CREATED)


# Reports ----------------------------------------------------------------------------------------

AREA = OpenApiParameter("area", str, description="ONS code of the area to compare with; the council's own by default.")
FILTERS = [
    AREA,
    OpenApiParameter(
        "channel", str, description="Only responses from this channel (needs the equality-data permission)."
    ),
    OpenApiParameter("submitted_from", str, description="YYYY-MM-DD (needs the equality-data permission)."),
    OpenApiParameter("submitted_to", str, description="YYYY-MM-DD, inclusive (needs the equality-data permission)."),
]


def _query(request: Request) -> QueryDict:
    return with_default_area(request.query_params)


def _filtered[F: ReportFilterForm](form: F, request: Request, survey: Survey) -> F:
    form_validated(form)
    if form.is_filtered() and form.refuse_filters_without_permission(request.user, survey):
        raise PermissionDenied(FILTERS_NEED_PERMISSION)
    return form


def _refusal(survey: Survey, error: ReportError) -> FieldError:
    """Why the figures could not be worked out, in words the protected audience may read."""
    return FieldError(None, protection_for(audience=Audience.PROTECTED, survey=survey).error_text(error))


ReportLayout = inline_serializer(
    "RepresentativenessReport",
    {
        "layout_version": serializers.IntegerField(),
        "survey": serializers.DictField(),
        "area": serializers.DictField(),
        "generated_at": serializers.DateTimeField(),
        "filters": serializers.DictField(),
        "respondents": serializers.IntegerField(),
        "headline": serializers.CharField(),
        "method": serializers.DictField(),
        "notes": serializers.ListField(child=serializers.CharField()),
        "characteristics": serializers.ListField(child=serializers.DictField()),
        "intersections": serializers.ListField(child=serializers.DictField()),
    },
)


class RepresentativenessReport(SurveyScoped):
    """The survey's representativeness report in the report command's JSON layout (README), protected."""

    policy = {"get": Action.REPORT_VIEW}

    @extend_schema(parameters=FILTERS, responses={200: ReportLayout, **ERRORS})
    def get(self, request: Request, survey_id: str) -> ApiResponse:
        survey = self.get_survey()
        form = _filtered(ReportFilterForm(_query(request)), request, survey)
        try:
            report = report_build(survey=survey, audience=Audience.PROTECTED, **form.filters())
        except ReportError as error:
            raise _refusal(survey, error) from None
        return ApiResponse(report_as_dict(report))


def population_area_code(request: Request) -> str:
    """The area a population's report compares with (`?area=`, the council's own by default); only the area:
    a population other than a survey's respondents has no channels or dates."""
    return str(form_validated(ReportFilterForm(_query(request))).cleaned_data["area"].code)


def population_refusal(error: ReportError) -> FieldError:
    return FieldError(None, protection_for(audience=Audience.PROTECTED).error_text(error))


class DatasetReport(APIView):
    """An uploaded dataset's report (a group's equality data, or an activity's aggregated attendee counts) in
    the report command's JSON layout, protected: what its page's JSON download gives."""

    policy = {"get": Action.DATASET_VIEW}

    @extend_schema(parameters=[AREA], responses={200: ReportLayout, **ERRORS})
    def get(self, request: Request, dataset_id: str) -> ApiResponse:
        dataset = get_object_or_404(GroupDataset.objects.select_related("team"), pk=dataset_id)
        self.check_object_permissions(request, dataset)
        area_code = population_area_code(request)
        try:
            report = dataset_census_report(dataset, area_code=area_code, audience=Audience.PROTECTED)
        except ReportError as error:
            raise population_refusal(error) from None
        return ApiResponse(report_as_dict(report))


WeightedLayout = inline_serializer(
    "WeightedResults",
    {
        "layout_version": serializers.IntegerField(),
        "survey": serializers.DictField(),
        "area": serializers.DictField(),
        "generated_at": serializers.DateTimeField(),
        "filters": serializers.DictField(),
        "respondents": serializers.IntegerField(),
        "characteristics": serializers.ListField(child=serializers.CharField()),
        "diagnostics": serializers.ListField(child=serializers.CharField()),
        "results": serializers.ListField(child=serializers.DictField()),
    },
)


class WeightedResults(SurveyScoped):
    """Every closed question unweighted and weighted to the census, as the weighting page's download gives them."""

    policy = {"get": Action.REPORT_VIEW}

    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter(
                "characteristics", str, many=True, description="Weight on these (age, sex, ethnic_group, ...)."
            ),
            OpenApiParameter("cap", float, description="Largest weight, as a multiple of the average (at least 1)."),
            OpenApiParameter("floor", float, description="Smallest weight, as a multiple of the average (at most 1)."),
            OpenApiParameter(
                "bounds",
                str,
                description="calibrate (default: weights kept within cap and floor while raking, as R's calibrate "
                "with bounds) or trim (trimmed afterwards, as R's trimWeights; the margins then only roughly met).",
            ),
            OpenApiParameter("poststratify", bool, description="Match age and sex together."),
        ],
        responses={200: WeightedLayout, **ERRORS},
    )
    def get(self, request: Request, survey_id: str) -> ApiResponse:
        survey = self.get_survey()
        data = _query(request)
        if "characteristics" not in data:
            data.setlist("characteristics", list(DEFAULT_CHARACTERISTICS))
        form = _filtered(WeightingForm(data), request, survey)
        try:
            result = weighting_run(survey=survey, audience=Audience.PROTECTED, **form.options())
        except ReportError as error:
            raise _refusal(survey, error) from None
        except ValueError as error:  # answers the census targets cannot place, as the page says
            raise FieldError(None, str(error)) from None
        filters = form.filters()
        return ApiResponse(
            {
                "layout_version": JSON_LAYOUT_VERSION,
                "survey": {"slug": survey.slug, "title": survey.title},
                "area": {"code": result.area_code, "name": result.area_name},
                "generated_at": timezone.now().isoformat(),
                "filters": {
                    k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in filters.items() if k != "area_code"
                },
                "respondents": result.respondents,
                "characteristics": result.characteristics,
                "diagnostics": result.diagnostics(),
                "results": [dict(zip(RESULT_HEADER, row, strict=True)) for row in result_rows(result)],
            }
        )
