"""The site's error pages (400, 403, 404, 500 and a failed CSRF check), in the council's style, each with
a way back and a contact. They serve every part of the site: residents' pages and officers' alike.

A resident whose form fails the CSRF check on a survey page has almost always left the page open too
long (or their browser dropped its cookies), so they get GOV.UK's "You'll have to start again" page,
never a CSRF error.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.csrf import csrf_exempt

# Survey pages that post a form: a CSRF failure there means the journey in this browser has gone.
SURVEY_PATH = re.compile(r"^/s/(?P<slug>[-\w]+)/")


def _way_back(request: HttpRequest) -> str:
    """The page the visitor came from, on this site; otherwise the list of consultations."""
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if referer and parts.netloc == request.get_host() and parts.path != request.path:
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("hub:home")


# Under /api/ the same errors are JSON in the API's error shape (common/api/errors.py), never a page.
API_PATH = "/api/"
API_MESSAGES = {
    400: "The request is not valid.",
    403: "You do not have permission to do this.",
    404: "There is nothing at this address, or it has been deleted.",
    500: "Something went wrong on our side. Nothing was changed; try again later.",
}


def _api_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"message": message, "errors": [{"field": None, "message": message}]}, status=status)


# No `requires_csrf_token` on the handlers: it runs the CSRF check again, which reads the request's body,
# and a body Django cannot read (a form declared in another character set) then raised inside the 400
# handler and came out as the WSGI server's bare 500. The pages render without the request's context
# processors (below), so they have no CSRF token to ensure.
def _render(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    if request.path.startswith(API_PATH):
        return _api_error(str(context.get("reason") or API_MESSAGES[status]), status)
    # No context processors beyond the council's identity: an error page must render even when the
    # database (sessions, the signed-in user) is what failed.
    content = loader.render_to_string(
        template,
        {"council": settings.COUNCIL, "request": request, "way_back": _way_back(request), **context},
    )
    return HttpResponse(content, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The access policy words its refusals for the member of staff refused (access/policy.py).
    reason = str(exception) if exception is not None and exception.args else ""
    return _render(request, "errors/403.html", 403, reason=reason)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/404.html", 404)


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """The API's last address: whatever no endpoint matched is a JSON 404, with DEBUG on too (where Django
    would show its HTML page instead of handler404). It also stops APPEND_SLASH's HTML redirect, which
    loses a POST's body: an address missing its last slash is told where the endpoint is."""
    message = API_MESSAGES[404]
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            message = f"There is nothing at this address: did you mean {request.path}/ ?"
    return _api_error(message, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, "errors/500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    survey = SURVEY_PATH.match(request.path)
    if survey:
        return _render(
            request,
            "surveys/start_again_expired.html",
            403,
            journey_url=reverse("surveys:journey", kwargs={"slug": survey["slug"]}),
            # Not an idle session (that is found before CSRF, and says so): the browser lost or refused
            # the CSRF cookie, or sent a page from before it changed.
            cookies_lost=True,
        )
    return _render(request, "errors/csrf.html", 403)
