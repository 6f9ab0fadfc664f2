"""Publishing (with the checklist of everything that stops residents finishing the survey) and closing early."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from engagement.formats.services import format_contacts_delete, format_requests_waiting
from surveys.models import Survey
from surveys.readiness import SurveyProblem, survey_problems_list
from surveys.services import (
    SurveyPublishError,
    SurveyStatusError,
    survey_close,
    survey_close_allowed,
    survey_publish,
    survey_publish_allowed,
)
from surveys.targets import SURVEY

# Where on the survey's details page each survey-level field is changed.
_SURVEY_FIELDS = {"closes_at": "closes_on_0", "opens_at": "opens_on_0", "privacy_notice": "privacy_notice"}


def problem_link(survey: Survey, problem: SurveyProblem) -> str:
    """Where to put a problem right: the field on the survey's details, page or question, or its condition."""
    ids = {"survey_id": survey.pk}
    if problem.question_id is not None:
        if problem.field.startswith("condition"):
            return reverse("engagement:question_condition", kwargs=ids | {"question_id": problem.question_id})
        if problem.field == "equality_key":
            return reverse("engagement:equality_section", kwargs=ids)
        url = reverse("engagement:question", kwargs=ids | {"question_id": problem.question_id})
        anchor = {"choices": "choices", "grid_rows": "rows"}.get(problem.field, f"id_{problem.field}")
        return f"{url}#{anchor}"
    if problem.page_id is not None:
        if problem.field.startswith("condition"):
            return reverse("engagement:page_condition", kwargs=ids | {"page_id": problem.page_id})
        return reverse("engagement:page", kwargs=ids | {"page_id": problem.page_id})
    if problem.code == "no_questions":
        return reverse("engagement:survey", kwargs=ids) + "#pages"
    return reverse("engagement:survey_details", kwargs=ids) + f"#id_{_SURVEY_FIELDS.get(problem.field, 'title')}"


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def publish(request: HttpRequest, survey: Survey) -> HttpResponse:
    try:
        survey_publish_allowed(survey=survey)
    except SurveyStatusError as refusal:
        messages.info(request, str(refusal))
        return redirect("engagement:survey", survey_id=survey.pk)
    problems = survey_problems_list(survey=survey)
    if request.method == "POST" and not problems:
        try:
            survey_publish(survey=survey, actor=Actor.from_request(request))
        except SurveyPublishError as error:  # changed since the checklist was read
            problems = list(error.problems)
        else:
            messages.success(request, f"“{survey.title}” is published at /s/{survey.slug}/.")
            return redirect("engagement:survey", survey_id=survey.pk)
    return render(
        request,
        "engagement/builder/publish.html",
        {"survey": survey, "problems": [{"problem": p, "href": problem_link(survey, p)} for p in problems]},
        status=400 if request.method == "POST" and problems else 200,
    )


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def close(request: HttpRequest, survey: Survey) -> HttpResponse:
    try:
        survey_close_allowed(survey=survey)
    except SurveyStatusError as refusal:
        messages.info(request, str(refusal))
        return redirect("engagement:survey", survey_id=survey.pk)
    if request.method == "POST":
        survey_close(survey=survey, actor=Actor.from_request(request))
        format_contacts_delete(survey=survey)  # requests for other formats: their contact details go at closing
        messages.success(request, f"“{survey.title}” is closed. Its responses are kept.")
        return redirect("engagement:survey", survey_id=survey.pk)
    return render(
        request,
        "engagement/builder/close.html",
        {
            "survey": survey,
            "grace_minutes": settings.JOURNEY_CLOSING_GRACE_MINUTES,
            "formats_waiting": format_requests_waiting(survey=survey),
        },
    )
