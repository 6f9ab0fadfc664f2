"""The journey through a survey (see surveys/wizard/), and the pages either side of submitting."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.rate_limits import rate_limit_exceeded
from surveys import saved_journeys
from surveys.models import SavedJourney, Survey
from surveys.selectors import response_get_by_submission_key, saved_journey_by_id, saved_journey_get, survey_public_get
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
from surveys.wizard.state import SAVED_JOURNEY_ID

# Resume links being used in this session: survey id -> [hash of the link's token, when it was opened].
RESUMING_SESSION_KEY = "surveys_resuming"
# How long an opened resume link waits in the session for the resident to confirm.
RESUMING_SECONDS = 30 * 60

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
    saved = saved_journey_by_id(survey=survey, pk=extra.get(SAVED_JOURNEY_ID))
    if not token or saved is None:
        return redirect("surveys:survey_start", slug=slug)
    resident_session_touch(request)
    resume_path = reverse("surveys:journey_resume", kwargs={"slug": slug}) + "?" + urlencode({"token": token})
    return render(
        request,
        "surveys/saved.html",
        {
            "survey": survey,
            "resume_url": request.build_absolute_uri(resume_path),
            "reference": extra.get(REFERENCE),
            "expires_at": saved.expires_at,
            "continue_url": reverse("surveys:journey", kwargs={"slug": slug}),
        },
    )


def _resume_invalid(request: HttpRequest, survey: Survey) -> HttpResponse:
    context = {"survey": survey, "days": settings.SAVED_JOURNEY_DAYS}
    return render(request, "surveys/resume_invalid.html", context, status=404)


def _resuming(request: HttpRequest, survey: Survey) -> SavedJourney | None:
    """The saved journey whose link was opened in this session, if it is still there to resume."""
    token_hash, opened_at = request.session.get(RESUMING_SESSION_KEY, {}).get(survey.pk.hex, ("", 0))
    if not token_hash or time.time() - opened_at > RESUMING_SECONDS:
        return None
    saved = saved_journey_get(survey=survey, token_hash=token_hash)
    if saved is None:
        return None
    key = saved.data.get("extra_data", {}).get(SUBMISSION_KEY, "")
    if response_get_by_submission_key(survey=survey, submission_key=key):
        return None  # already sent: the link must not reopen it
    return saved


@never_cache
def journey_resume(request: HttpRequest, slug: str) -> HttpResponse:
    """A resume link: /s/<slug>/resume/?token=... is swapped for this session's note of it at once.

    The redirect takes the token out of the address bar, the history and every later request, and
    with it out of access logs that leave query strings out. Nothing is shown, and the link is not
    used up, until the resident confirms: link checkers that open links must not use them up.
    """
    survey = survey_public_get(slug=slug)
    if survey is None:
        raise Http404("No such survey")
    if "token" in request.GET:
        saved = saved_journeys.saved_journey_find(survey=survey, token=request.GET["token"])
        if saved is None:
            return _resume_invalid(request, survey)
        resuming = request.session.get(RESUMING_SESSION_KEY, {})
        resuming[survey.pk.hex] = (saved.token_hash, time.time())
        request.session[RESUMING_SESSION_KEY] = resuming
        return redirect("surveys:journey_resume", slug=slug)
    saved = _resuming(request, survey)
    if saved is None:
        return _resume_invalid(request, survey)
    if not survey.is_accepting_responses():
        return unavailable_response(request, survey)
    needs_reference = saved_journeys.saved_journey_has_about_you(saved=saved)
    error, entered, about_you_deleted = "", "", False
    if request.method == "POST":
        action = request.POST.get("action")
        entered = request.POST.get("reference", "")[:50] if action == "continue" else ""
        # Without the reference (choosing to go on without it) everything but About you comes back.
        reference = entered if needs_reference and action == "continue" else None
        limit = settings.RESUME_ATTEMPTS_PER_ADDRESS_PER_HOUR
        if reference is not None and not reference.strip():
            error = "Enter your reference"
        elif reference is not None and rate_limit_exceeded(
            request=request, scope="journey-resume", limit=limit, window_seconds=3600
        ):
            error = "Too many references have been tried from your connection. Try again in an hour"
        else:
            try:
                restored = saved_journeys.journey_resume(saved=saved, reference=reference)
            except saved_journeys.WrongReferenceError as wrong:
                if wrong.attempts_left:
                    error = "The reference does not match the one shown when you saved your answers"
                else:
                    needs_reference, about_you_deleted = False, True
            else:
                request.session[RESUMING_SESSION_KEY] = {
                    key: value
                    for key, value in request.session.get(RESUMING_SESSION_KEY, {}).items()
                    if key != survey.pk.hex
                }
                if restored is None:
                    return _resume_invalid(request, survey)
                journey_restore(request, survey, data=restored, current_step=restored["current_step"])
                return redirect("surveys:journey", slug=slug)
    context = {
        "survey": survey,
        "saved": saved,
        "needs_reference": needs_reference,
        "about_you_deleted": about_you_deleted,
        "error": error,
        "entered": entered,
    }
    return render(request, "surveys/resume.html", context)


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
