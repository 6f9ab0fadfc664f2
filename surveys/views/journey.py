"""The journey through a survey (see surveys/wizard.py), and the pages either side of submitting."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from surveys import services
from surveys.models import Survey
from surveys.selectors import response_get_by_submission_key, survey_public_get
from surveys.wizard import (
    REFERENCE,
    SUBMISSION_KEY,
    SUBMITTED_SESSION_KEY,
    TOKEN,
    SurveyJourney,
    journey_restore,
    journey_storage,
    unavailable_response,
)

# Answers are personal: never let a shared or back-button cache show them to someone else.
journey = never_cache(SurveyJourney.as_view())


def _survey_or_404(slug: str) -> Survey:
    survey = survey_public_get(slug=slug)
    if survey is None:
        raise Http404("No such survey")
    return survey


@never_cache
def journey_saved(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_or_404(slug)
    extra = journey_storage(request, survey).extra_data
    token = extra.get(TOKEN)
    if not token:
        return redirect("surveys:survey_start", slug=slug)
    resume_url = request.build_absolute_uri(reverse("surveys:journey_resume", kwargs={"slug": slug, "token": token}))
    return render(
        request,
        "surveys/saved.html",
        {
            "survey": survey,
            "resume_url": resume_url,
            "reference": extra.get(REFERENCE),
            "expires_at": services.saved_journey_expiry(survey=survey),
            "continue_url": reverse("surveys:journey", kwargs={"slug": slug}),
        },
    )


@never_cache
def journey_resume(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    survey = survey_public_get(slug=slug)
    saved = services.journey_resume(survey=survey, token=token) if survey else None
    if saved is not None:
        key = saved.data.get("extra_data", {}).get(SUBMISSION_KEY, "")
        if response_get_by_submission_key(survey=survey, submission_key=key):
            saved = None  # already sent: the link must not reopen it
    if survey is None or saved is None:
        return render(request, "surveys/resume_invalid.html", {"survey": survey}, status=404)
    if not survey.is_accepting_responses():
        return unavailable_response(request, survey)
    journey_restore(
        request, survey, data=saved.data, current_step=saved.current_step, token=token, saved_journey_id=saved.pk
    )
    return redirect("surveys:journey", slug=slug)


@never_cache
def confirmation(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_or_404(slug)
    reference = request.session.get(SUBMITTED_SESSION_KEY, {}).get(survey.pk.hex)
    if not reference:
        return redirect("surveys:survey_start", slug=slug)
    return render(request, "surveys/confirmation.html", {"survey": survey, "reference": reference})
