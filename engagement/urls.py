from django.urls import path

from engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("surveys/<uuid:survey_id>/", views.survey_overview, name="survey"),
    path("surveys/<uuid:survey_id>/about-you/", views.equality_section_edit, name="equality_section"),
    path("surveys/<uuid:survey_id>/responses/", views.response_list, name="responses"),
    path("responses/<uuid:response_id>/", views.response_detail, name="response"),
    path("responses/<uuid:response_id>/about-you/", views.response_equality_detail, name="response_equality"),
    path("responses/<uuid:response_id>/delete/", views.response_delete, name="response_delete"),
]
