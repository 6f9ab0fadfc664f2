from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from access.passwords import reset_email_context
from config.council_style import council_stylesheet

# The reset email and page name the council and say how long the link works.
_reset_context = reset_email_context()

urlpatterns = [
    path("council.css", council_stylesheet, name="council_stylesheet"),
    path("admin/", admin.site.urls),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(extra_email_context=_reset_context, extra_context=_reset_context),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include(("config.api_urls", "api"))),
    path("officers/", include("engagement.urls")),
    path("officers/", include("exports.urls")),
    path("officers/", include("representativeness.urls")),
    path("", include("engagement.hub.urls")),
    path("officers/", include("plans.urls")),
    path("", include("plans.public_urls")),
    path("", include("surveys.urls")),
]

# Error pages in the council's style, for every part of the site (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
