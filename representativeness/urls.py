"""Officer pages of the representativeness app, mounted under /officers/ by config/urls.py."""

from django.urls import path, register_converter

from representativeness.views import baselines, datasets, equality_analysis, reports, weighting


class _DownloadFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class _ReportFormat(_DownloadFormat):
    """A report's download: a table (CSV, XLSX) or the report command's JSON."""

    regex = "csv|xlsx|json"


register_converter(_DownloadFormat, "download_format")
register_converter(_ReportFormat, "report_format")

app_name = "representativeness"

urlpatterns = [
    path("baselines/", baselines.baseline_list, name="baseline_list"),
    path("baselines/upload/", baselines.baseline_upload, name="baseline_upload"),
    path("baselines/upload/confirm/", baselines.baseline_upload_confirm, name="baseline_upload_confirm"),
    path("surveys/<uuid:survey_id>/representativeness/", reports.report_page, name="report"),
    path(
        "surveys/<uuid:survey_id>/representativeness.<report_format:file_format>",
        reports.report_download,
        name="report_download",
    ),
    path("surveys/<uuid:survey_id>/weighting/", weighting.weighting_page, name="weighting"),
    path(
        "surveys/<uuid:survey_id>/weighted-results.<download_format:file_format>",
        weighting.weighting_download,
        name="weighting_download",
    ),
    path("surveys/<uuid:survey_id>/equality-analysis/", equality_analysis.analysis_page, name="equality_analysis"),
    path(
        "surveys/<uuid:survey_id>/equality-analysis.<download_format:file_format>",
        equality_analysis.analysis_download,
        name="equality_analysis_download",
    ),
    path("surveys/<uuid:survey_id>/equality-impact-assessment/", equality_analysis.eqia_page, name="eqia"),
    path(
        "surveys/<uuid:survey_id>/equality-impact-assessment.docx",
        equality_analysis.eqia_download,
        name="eqia_download",
    ),
    path(
        "surveys/<uuid:survey_id>/lived-experience/", equality_analysis.lived_experience_page, name="lived_experience"
    ),
    path("datasets/", datasets.dataset_list, name="datasets"),
    path("datasets/new/", datasets.dataset_new, name="dataset_new"),
    path("datasets/<uuid:dataset_id>/", datasets.dataset_report, name="dataset"),
    path(
        "datasets/<uuid:dataset_id>/representativeness.<report_format:file_format>",
        datasets.dataset_download,
        name="dataset_download",
    ),
    path("datasets/<uuid:dataset_id>/delete/", datasets.dataset_remove, name="dataset_delete"),
]
