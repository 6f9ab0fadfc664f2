"""The project's URLs, with the baseline pages mounted at /officers/ if config/urls.py does not mount them yet."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "representativeness" for pattern in urlpatterns):
    urlpatterns.append(path("officers/", include("representativeness.urls")))
