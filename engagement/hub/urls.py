"""The hub residents use, at the root of the site."""

from django.urls import path

from engagement.formats import views as formats
from engagement.hub.views import public
from engagement.outcomes import views as outcomes
from engagement.paper import views as paper

app_name = "hub"
urlpatterns = [
    path("", public.hub, name="home"),
    path("consultations/<slug:slug>/", public.consultation, name="consultation"),
    path("consultations/<slug:slug>/documents/<uuid:document_id>/", public.document, name="document"),
    path("consultations/<slug:slug>/paper.pdf", paper.paper, name="paper"),
    path("consultations/<slug:slug>/paper-large-print.pdf", paper.paper_large_print, name="paper_large_print"),
    path("consultations/<slug:slug>/request-a-format/", formats.format_request, name="format_request"),
    path("consultations/<slug:slug>/request-a-format/sent/", formats.format_request_sent, name="format_request_sent"),
    path("consultations/<slug:slug>/outcome/", outcomes.outcome, name="outcome"),
    path(
        "consultations/<slug:slug>/outcome/<slug:question>.csv",
        outcomes.outcome_answers_download,
        name="outcome_answers",
    ),
    path("consultations/<slug:slug>/hear-the-outcome/", outcomes.outcome_subscribe, name="outcome_subscribe"),
]
