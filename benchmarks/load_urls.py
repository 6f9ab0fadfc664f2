"""Chorus's URLs plus the benchmark's baseline: a minimal view that writes one row (benchmarks/load.py)."""

import secrets

from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as chorus_urlpatterns


@never_cache
def one_row(request: HttpRequest) -> HttpResponse:
    """GET: a CSRF token. POST (CSRF-checked through the same middleware as every page): write one row."""
    if request.method == "POST":
        Session.objects.create(session_key=secrets.token_hex(16), session_data="", expire_date=timezone.now())
        return HttpResponse("written", content_type="text/plain")
    return HttpResponse(get_token(request), content_type="text/plain")


urlpatterns = [path("bench/one-row/", one_row), *chorus_urlpatterns]
