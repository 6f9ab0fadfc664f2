"""The officer workspace under /officers/. Every view declares who may use it (access.views.staff_view);
tests/access/test_access_table.py requests each of them as every role."""

from django.urls import path

from engagement.audit import views as audit
from engagement.builder import views as builder
from engagement.responses import views as responses

app_name = "engagement"
urlpatterns = [
    path("", builder.dashboard, name="dashboard"),
    path("surveys/<uuid:survey_id>/", builder.survey_overview, name="survey"),
    path("surveys/<uuid:survey_id>/about-you/", builder.equality_section_edit, name="equality_section"),
    path("surveys/<uuid:survey_id>/responses/", responses.response_list, name="responses"),
    path("responses/<uuid:response_id>/", responses.response_detail, name="response"),
    path("responses/<uuid:response_id>/about-you/", responses.response_equality_detail, name="response_equality"),
    path("responses/<uuid:response_id>/delete/", responses.response_delete, name="response_delete"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit.csv", audit.audit_download, name="audit_download"),
]
