"""The council's colour as a stylesheet (/council.css), so that no page carries an inline style: the
Content Security Policy allows styles from this site's files only (config/settings.py SECURE_CSP)."""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

DEFAULT_COLOUR = "#1d4f6e"
# A colour and nothing else: #hex, or a CSS colour name, so that a setting can never inject CSS.
_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}")


def header_colour() -> str:
    colour = str(settings.COUNCIL.get("header_colour", "")).strip()
    return colour if _COLOUR.fullmatch(colour) else DEFAULT_COLOUR


@require_GET
@cache_control(public=True, max_age=3600)
def council_stylesheet(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f":root {{ --chorus-header-colour: {header_colour()}; }}\n", content_type="text/css")
