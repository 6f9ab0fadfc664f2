"""A survey's responses: the list, one response, its "About you" answers, and deleting it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action, allowed
from access.views import staff_view
from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.responses import selectors, services
from surveys.models import Response, Survey
from surveys.targets import RESPONSE, SURVEY


@staff_view(Action.RESPONSE_VIEW, target=SURVEY)
def response_list(request: HttpRequest, survey: Survey) -> HttpResponse:
    page = Paginator(selectors.survey_responses(survey=survey), 50).get_page(request.GET.get("page"))
    return render(request, "engagement/response_list.html", {"survey": survey, "page": page})


@staff_view(Action.RESPONSE_VIEW, target=RESPONSE)
def response_detail(request: HttpRequest, response: Response) -> HttpResponse:
    return render(
        request,
        "engagement/response_detail.html",
        {
            "response": response,
            "answers": selectors.response_answers(response=response),
            "can_view_equality": allowed(request.user, Action.EQUALITY_DATA_VIEW, response),
        },
    )


@staff_view(Action.EQUALITY_DATA_VIEW, target=RESPONSE)
def response_equality_detail(request: HttpRequest, response: Response) -> HttpResponse:
    """Individual "About you" answers: only for staff with the equality-data permission, and recorded."""
    profile = selectors.response_equality_profile(response=response)
    rows = selectors.equality_profile_rows(profile=profile) if profile else []
    audit_record(actor=Actor.from_request(request), action=AuditAction.EQUALITY_ANSWERS_VIEWED, target=response)
    return render(
        request, "engagement/response_equality.html", {"response": response, "profile": profile, "rows": rows}
    )


@staff_view(Action.RESPONSE_DELETE, target=RESPONSE, methods=["POST"])
def response_delete(request: HttpRequest, response: Response) -> HttpResponse:
    survey_id = response.survey_id
    reference = services.response_delete(response=response, actor=Actor.from_request(request))
    messages.success(request, f"Response {reference} and its 'About you' answers have been deleted.")
    return redirect("engagement:responses", survey_id=survey_id)
