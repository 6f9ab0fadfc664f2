"""Attendees' own About you form, through an activity's private link: at the root of the site, no sign-in."""

from django.urls import path

from plans.views import profiles

app_name = "attendees"
urlpatterns = [
    path("about-you/<str:code>/", profiles.about_you, name="about_you"),
    path("about-you/<str:code>/sent/", profiles.about_you_sent, name="about_you_sent"),
]
