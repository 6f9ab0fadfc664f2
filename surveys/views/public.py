"""Pages around the journey: a survey's start page, statements. (The list of consultations is the hub.)"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from plans.links import via_remember
from surveys.models import Survey
from surveys.selectors import survey_public_get
from surveys.wizard import journey_in_progress, submitted_get, unavailable_response


def _survey_or_404(slug: str) -> Survey:
    survey = survey_public_get(slug=slug)
    if survey is None:
        raise Http404("No such survey")
    return survey


def survey_start(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_or_404(slug)
    if not survey.is_accepting_responses():
        return unavailable_response(request, survey)
    via_remember(request, survey.pk)  # an outreach activity's tracked link
    return render(
        request,
        "surveys/start.html",
        {
            "survey": survey,
            "in_progress": journey_in_progress(request, survey),
            "submitted": submitted_get(request, survey),
        },
    )


def survey_privacy(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request,
        "surveys/privacy.html",
        {"survey": _survey_or_404(slug), "outcome_email_days": settings.OUTCOME_EMAIL_RETENTION_DAYS},
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/accessibility.html",
        {"statement": settings.ACCESSIBILITY_STATEMENT, "idle_minutes": settings.RESIDENT_SESSION_IDLE_MINUTES},
    )


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/cookies.html", {"idle_minutes": settings.RESIDENT_SESSION_IDLE_MINUTES})


def privacy(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.exclude(status=Survey.Status.DRAFT).order_by("title")
    return render(request, "pages/privacy.html", {"surveys": surveys})
