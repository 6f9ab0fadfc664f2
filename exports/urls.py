from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("surveys/<uuid:survey_id>/exports/", views.export_new, name="new"),
    path("exports/<uuid:export_id>/", views.export_status, name="export"),
    path("exports/<uuid:export_id>/download/", views.export_download, name="download"),
]
