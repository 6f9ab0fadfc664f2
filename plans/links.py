"""Tracked links: `/s/<slug>/?via=<code>` remembers, for this visitor's session, which activity brought them,
so that the response they send is attributed to it (plans.services.attribution_from_link)."""

import re

from django.http import HttpRequest

_CODE = re.compile(r"^[a-z0-9]{1,20}$")


def _key(survey_id: object) -> str:
    return f"plans:via:{survey_id}"


def via_remember(request: HttpRequest, survey_id: object) -> None:
    """Keep a well-formed `via` code from the start page's address (anything else is ignored)."""
    code = request.GET.get("via", "").strip().lower()
    if _CODE.match(code):
        request.session[_key(survey_id)] = code


def via_code(request: HttpRequest, survey_id: object) -> str | None:
    return request.session.get(_key(survey_id))


def via_forget(request: HttpRequest, survey_id: object) -> None:
    request.session.pop(_key(survey_id), None)
