from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("privacy/", views.privacy, name="privacy"),
    path("s/<slug:slug>/", views.survey_start, name="survey_start"),
    path("s/<slug:slug>/privacy/", views.survey_privacy, name="survey_privacy"),
    path("s/<slug:slug>/questions/", views.journey, name="journey"),
    path("s/<slug:slug>/questions/<str:step>/", views.journey, name="journey_step"),
    path("s/<slug:slug>/start-again/", views.journey_start_again, name="journey_start_again"),
    path("s/<slug:slug>/keep-alive/", views.journey_keep_alive, name="journey_keep_alive"),
    path("s/<slug:slug>/timed-out/", views.journey_timed_out, name="journey_timed_out"),
    path("s/<slug:slug>/saved/", views.journey_saved, name="journey_saved"),
    path("s/<slug:slug>/resume/", views.journey_resume, name="journey_resume"),
    path("s/<slug:slug>/confirmation/", views.confirmation, name="confirmation"),
]
