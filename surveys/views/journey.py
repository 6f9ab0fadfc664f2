"""The journey through a survey (see surveys/wizard/), and the pages either side of submitting."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from surveys import services
from surveys.models import Survey
from surveys.selectors import response_get_by_submission_key, survey_public_get
from surveys.wizard import (
    REFERENCE,
    SUBMISSION_KEY,
    TOKEN,
    SurveyJourney,
    journey_clear,
    journey_exists,
    journey_in_progress,
    journey_restore,
    journey_storage,
    resident_session_touch,
    start_again_response,
    submitted_get,
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
    resident_session_touch(request)
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
@require_http_methods(["GET", "HEAD", "POST"])
def journey_start_again(request: HttpRequest, slug: str) -> HttpResponse:
    """Start again: a page asking "Are you sure?" (GET), then clearing the answers here (POST).

    Also how a second person on a shared device starts a new response after someone has sent theirs."""
    survey = _survey_or_404(slug)
    if request.method == "POST":
        journey_clear(request, survey)
        return redirect("surveys:journey", slug=slug)
    if not journey_in_progress(request, survey):
        return redirect("surveys:survey_start", slug=slug)
    return render(request, "surveys/start_again.html", {"survey": survey})


@never_cache
def confirmation(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_or_404(slug)
    submitted = submitted_get(request, survey)
    if submitted is None:
        return redirect("surveys:survey_start", slug=slug)
    resident_session_touch(request)
    return render(
        request,
        "surveys/confirmation.html",
        {"survey": survey, "reference": submitted.reference, "sent_at": submitted.sent_at},
    )


@never_cache
@require_POST
def journey_keep_alive(request: HttpRequest, slug: str) -> JsonResponse:
    """ "Continue answering" in the timeout warning: keep the answers for another idle period."""
    survey = _survey_or_404(slug)
    if not journey_exists(journey_storage(request, survey)):
        return JsonResponse({"expired": True}, status=410)
    expires_at = resident_session_touch(request, force=True)
    # Seconds from now, not a time: the resident's clock may not agree with ours.
    return JsonResponse({"expires_in": round((expires_at - timezone.now()).total_seconds())})


@never_cache
def journey_timed_out(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the timeout warning sends a resident when the time is up: the answers are deleted."""
    survey = _survey_or_404(slug)
    journey_clear(request, survey)
    return start_again_response(request, survey)
