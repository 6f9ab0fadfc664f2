from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("officers/", include("engagement.urls")),
    path("officers/", include("representativeness.urls")),
    path("", include("surveys.urls")),
]

# Error pages in the council's style, for every part of the site (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
