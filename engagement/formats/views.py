"""Residents ask for another format; officers see the requests as a queue and mark them done."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from engagement.formats import services
from engagement.formats.forms import FormatRequestForm
from engagement.hub.selectors import HubStatus, status_of
from engagement.hub.views.public import consultation_or_404, too_many_requests
from engagement.models import FormatRequest
from surveys.models import Survey
from surveys.targets import SURVEY


def format_request(request: HttpRequest, slug: str) -> HttpResponse:
    survey = consultation_or_404(slug)
    if status_of(survey) == HubStatus.CLOSED:
        return render(request, "engagement/formats/closed.html", {"survey": survey}, status=404)
    form = FormatRequestForm(request.POST or None)
    if request.method == "POST" and (refused := too_many_requests(request, survey, scope="format-request")):
        return refused
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.format_request_create(
            survey=survey,
            formats=data["formats"],
            language=data["language"].strip(),
            name=data["name"].strip(),
            email=data["email"],
            phone=data["phone"].strip(),
            address=data["address"].strip(),
            details=data["details"].strip(),
        )
        return redirect("hub:format_request_sent", slug=survey.slug)
    return render(request, "engagement/formats/request.html", {"survey": survey, "form": form})


def format_request_sent(request: HttpRequest, slug: str) -> HttpResponse:
    days = settings.ACCESSIBILITY_STATEMENT["response_days"]
    context = {"survey": consultation_or_404(slug), "accessibility_response_days": days}
    return render(request, "engagement/formats/sent.html", context)


@staff_view(Action.FORMAT_REQUEST_VIEW, target=SURVEY)
def format_requests(request: HttpRequest, survey: Survey) -> HttpResponse:
    return render(
        request,
        "engagement/formats/queue.html",
        {"survey": survey, "requests": services.format_requests_for(survey=survey)},
    )


@staff_view(Action.FORMAT_REQUEST_DONE, target=SURVEY, methods=["POST"])
def format_request_done(request: HttpRequest, survey: Survey, request_id: int) -> HttpResponse:
    item = get_object_or_404(FormatRequest, pk=request_id, survey=survey)
    if item.contact_deleted_at is not None and item.done_at is None:
        messages.info(request, f"Request {item.pk} cannot be done: its contact details were deleted at closing.")
        return redirect("engagement:format_requests", survey_id=survey.pk)
    services.format_request_done(request=item, actor=Actor.from_request(request))
    messages.success(request, f"Request {item.pk} has been marked as done.")
    return redirect("engagement:format_requests", survey_id=survey.pk)
