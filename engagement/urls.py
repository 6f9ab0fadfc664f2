"""The officer workspace under /officers/. Every view declares who may use it (access.views.staff_view);
tests/access/test_access_table.py requests each of them as every role, and `manage.py access_table`
prints the table."""

from django.urls import include, path

import engagement.builder.urls_converters  # noqa: F401  registers <option_kind:...>
from engagement.audit import views as audit
from engagement.builder.views import about_you, options, pages, preview, publishing, questions, routing, surveys
from engagement.channels import views as channels
from engagement.data_requests import views as data_requests
from engagement.formats import views as formats
from engagement.hub.views import officer as hub
from engagement.outcomes import views as outcomes
from engagement.responses import views as responses
from engagement.staff import views as staff

survey_parts = [
    path("", surveys.survey_overview, name="survey"),
    path("details/", surveys.survey_details, name="survey_details"),
    path("duplicate/", surveys.survey_copy, name="survey_duplicate"),
    path("delete/", surveys.survey_delete, name="survey_delete"),
    path("publish/", publishing.publish, name="survey_publish"),
    path("close/", publishing.close, name="survey_close"),
    path("preview/", preview.preview_start, name="preview_start"),
    path("preview/<int:page_id>/", preview.preview_page, name="preview"),
    path("about-you/", about_you.equality_section_edit, name="equality_section"),
    path("pages/new/", pages.page_new, name="page_new"),
    path("pages/<int:page_id>/", pages.page_edit, name="page"),
    path("pages/<int:page_id>/move/", pages.page_reorder, name="page_move"),
    path("pages/<int:page_id>/delete/", pages.page_remove, name="page_delete"),
    path("pages/<int:page_id>/condition/", routing.page_condition, name="page_condition"),
    path("pages/<int:page_id>/questions/new/", questions.question_new, name="question_new"),
    path(
        "pages/<int:page_id>/questions/new/<slug:question_type>/",
        questions.question_new_details,
        name="question_new_details",
    ),
    path("questions/<int:question_id>/", questions.question_edit, name="question"),
    path("questions/<int:question_id>/move/", questions.question_reorder, name="question_move"),
    path("questions/<int:question_id>/delete/", questions.question_remove, name="question_delete"),
    path("questions/<int:question_id>/condition/", routing.question_condition, name="question_condition"),
    path("questions/<int:question_id>/<option_kind:kind>/new/", options.option_new, name="option_new"),
    path("questions/<int:question_id>/<option_kind:kind>/<int:option_id>/", options.option_edit, name="option"),
    path(
        "questions/<int:question_id>/<option_kind:kind>/<int:option_id>/move/",
        options.option_reorder,
        name="option_move",
    ),
    path(
        "questions/<int:question_id>/<option_kind:kind>/<int:option_id>/delete/",
        options.option_remove,
        name="option_delete",
    ),
    path("responses/", responses.response_list, name="responses"),
    path("listing/", hub.listing_edit, name="listing"),
    path("documents/", hub.documents, name="documents"),
    path("documents/<uuid:document_id>/", hub.document_edit, name="document"),
    path("documents/<uuid:document_id>/move/", hub.document_reorder, name="document_move"),
    path("documents/<uuid:document_id>/delete/", hub.document_delete, name="document_delete"),
    path("events/", hub.events, name="events"),
    path("events/<int:event_id>/", hub.event_edit, name="event"),
    path("events/<int:event_id>/delete/", hub.event_delete, name="event_delete"),
    path("responses/enter/", channels.response_enter, name="response_enter"),
    path("format-requests/", formats.format_requests, name="format_requests"),
    path("format-requests/<int:request_id>/done/", formats.format_request_done, name="format_request_done"),
    path("outcome/", outcomes.outcome_edit, name="outcome"),
]

app_name = "engagement"
urlpatterns = [
    path("", surveys.dashboard, name="dashboard"),
    path("surveys/new/", surveys.survey_new, name="survey_new"),
    path("surveys/<uuid:survey_id>/", include(survey_parts)),
    path("responses/<uuid:response_id>/", responses.response_detail, name="response"),
    path("responses/<uuid:response_id>/about-you/", responses.response_equality_detail, name="response_equality"),
    path("responses/<uuid:response_id>/delete/", responses.response_delete, name="response_delete"),
    path("data-requests/", data_requests.data_request_find, name="data_request_find"),
    path("data-requests/<uuid:response_id>/", data_requests.data_request_show, name="data_request"),
    path("data-requests/<uuid:response_id>/delete/", data_requests.data_request_erase, name="data_request_erase"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.staff_new, name="staff_new"),
    path("staff/<int:user_id>/", staff.staff_edit, name="staff_edit"),
    path("teams/new/", staff.team_new, name="team_new"),
    path("teams/<int:team_id>/", staff.team_edit, name="team_edit"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit.csv", audit.audit_download, name="audit_download"),
]
