"""Engagement plans and the partner directory, mounted under /officers/ by config/urls.py."""

from django.urls import include, path

import representativeness.urls  # noqa: F401  (registers the report_format converter)
from plans.views import activities, partners, plan, profiles

plan_parts = [
    path("", plan.plan_page, name="plan"),
    path("suggestions/", plan.suggestion_decision, name="suggestion_decision"),
    path("targets/new/", plan.target_new, name="target_new"),
    path("targets/<int:group_id>/", plan.target_edit, name="target"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", activities.activity_edit, name="activity"),
    path("activities/<int:activity_id>/delete/", activities.activity_delete_confirm, name="activity_delete"),
    path("activities/<int:activity_id>/responses/", activities.activity_responses, name="activity_responses"),
    path(
        "activities/<int:activity_id>/responses/remove/",
        activities.activity_response_remove,
        name="activity_response_remove",
    ),
    path(
        "activities/<int:activity_id>/responses/from-event/",
        activities.activity_responses_from_event,
        name="activity_responses_from_event",
    ),
    path("activities/<int:activity_id>/attendees/", activities.activity_attendees, name="activity_attendees"),
    path("activities/<int:activity_id>/profiles/", profiles.profile_entry, name="activity_profiles"),
    path("activities/<int:activity_id>/profiles/report/", profiles.profiles_report, name="activity_profiles_report"),
    path(
        "activities/<int:activity_id>/profiles/representativeness.<report_format:file_format>",
        profiles.profiles_download,
        name="activity_profiles_download",
    ),
]

app_name = "plans"
urlpatterns = [
    path("surveys/<uuid:survey_id>/plan/", include(plan_parts)),
    path("partners/", partners.partner_list, name="partners"),
    path("partners/new/", partners.partner_new, name="partner_new"),
    path("partners/<int:partner>/", partners.partner_edit, name="partner"),
    path("partners/<int:partner>/delete/", partners.partner_delete_confirm, name="partner_delete"),
]
