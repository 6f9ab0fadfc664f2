"""The hub residents use, at the root of the site."""

from django.urls import path

from engagement.hub.views import public

app_name = "hub"
urlpatterns = [
    path("", public.hub, name="home"),
    path("consultations/<slug:slug>/", public.consultation, name="consultation"),
    path("consultations/<slug:slug>/documents/<uuid:document_id>/", public.document, name="document"),
]
