"""The API under /api/v1/, its OpenAPI 3 schema at /api/schema/ and its documentation at /api/docs/."""

from django.conf import settings
from django.urls import include, path, re_path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import engagement.builder.urls_converters  # noqa: F401  registers <option_kind:...>
from config.errors import api_not_found
from engagement.api import about_you, audit, builder, exports, responses
from plans.api import views as plans
from representativeness.api import views as representativeness
from surveys.api import views as public

# The documentation page: Swagger UI with its start-up script served as a file (the split view), so no
# inline script; Swagger UI sets element styles as it draws, so this page alone allows inline styles.
# It shows only the schema, never residents' data.
_docs_view = csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)

SURVEY = "surveys/<uuid:survey_id>/"
QUESTION = SURVEY + "questions/<int:question_id>/"
OPTION = QUESTION + "<option_kind:kind>/"

v1 = [
    # Anyone: open consultations and submitting a response.
    path("public/surveys/", public.OpenSurveyList.as_view(), name="public_surveys"),
    path("public/surveys/<slug:slug>/", public.OpenSurveyDetail.as_view(), name="public_survey"),
    path("public/surveys/<slug:slug>/responses/", public.SubmitResponse.as_view(), name="submit"),
    # Staff: surveys and their structure.
    path("surveys/", builder.SurveyListCreate.as_view(), name="surveys"),
    path(SURVEY, builder.SurveyDetail.as_view(), name="survey"),
    path(SURVEY + "publish/", builder.SurveyPublish.as_view(), name="survey_publish"),
    path(SURVEY + "close/", builder.SurveyClose.as_view(), name="survey_close"),
    path(SURVEY + "duplicate/", builder.SurveyDuplicate.as_view(), name="survey_duplicate"),
    path(SURVEY + "about-you/", about_you.AboutYou.as_view(), name="about_you"),
    path(SURVEY + "pages/", builder.PageCreate.as_view(), name="pages"),
    path(SURVEY + "pages/<int:page_id>/", builder.PageDetail.as_view(), name="page"),
    path(SURVEY + "pages/<int:page_id>/move/", builder.PageMove.as_view(), name="page_move"),
    path(SURVEY + "pages/<int:page_id>/condition/", builder.PageCondition.as_view(), name="page_condition"),
    path(SURVEY + "pages/<int:page_id>/questions/", builder.QuestionCreate.as_view(), name="questions"),
    path(QUESTION, builder.QuestionDetail.as_view(), name="question"),
    path(QUESTION + "move/", builder.QuestionMove.as_view(), name="question_move"),
    path(QUESTION + "condition/", builder.QuestionCondition.as_view(), name="question_condition"),
    path(OPTION, builder.OptionCreate.as_view(), name="options"),
    path(OPTION + "<int:option_id>/", builder.OptionDetail.as_view(), name="option"),
    path(OPTION + "<int:option_id>/move/", builder.OptionMove.as_view(), name="option_move"),
    # Staff: responses, reports, baselines, the audit log.
    path(SURVEY + "responses/", responses.SurveyResponseList.as_view(), name="responses"),
    path("responses/<uuid:response_id>/", responses.ResponseDetail.as_view(), name="response"),
    path(SURVEY + "export/", exports.ResponseExport.as_view(), name="export"),
    path(SURVEY + "export/dictionary/", exports.ExportDictionary.as_view(), name="export_dictionary"),
    path(SURVEY + "report/", representativeness.RepresentativenessReport.as_view(), name="report"),
    path(SURVEY + "weighted-results/", representativeness.WeightedResults.as_view(), name="weighted_results"),
    path(
        SURVEY + "plan/activities/<int:activity_id>/attendees-report/",
        plans.AttendeesReport.as_view(),
        name="attendees_report",
    ),
    path("datasets/<uuid:dataset_id>/report/", representativeness.DatasetReport.as_view(), name="dataset_report"),
    path("baselines/", representativeness.BaselineList.as_view(), name="baselines"),
    path("baselines/import/", representativeness.BaselineImport.as_view(), name="baseline_import"),
    path("audit-entries/", audit.AuditEntryList.as_view(), name="audit_entries"),
]

urlpatterns = [
    path("v1/", include((v1, "v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", _docs_view, name="docs"),
    # Last: any other address under /api/ is a JSON 404 (config/errors.py), never Django's HTML page.
    re_path(r"", api_not_found),
]
