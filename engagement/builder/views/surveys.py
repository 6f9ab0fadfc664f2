"""A member of staff's surveys; creating one; a survey's builder page; its details; duplicate; delete."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action, require
from access.views import staff_view
from audit.services import Actor
from engagement.builder import selectors
from engagement.builder.forms import SurveyDetailsForm
from engagement.builder.forms.surveys import survey_details_initial
from engagement.builder.services.guard import BuilderRefusal
from engagement.builder.services.surveys import (
    survey_create,
    survey_delete_draft,
    survey_details_update,
    survey_duplicate,
)
from engagement.builder.views.common import refuse_in_form
from surveys.equality.library import QUESTIONS_BY_KEY
from surveys.models import Survey
from surveys.targets import SURVEY

TEMPLATES = "engagement/builder"


@staff_view(Action.SURVEY_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "engagement/dashboard.html", {"surveys": selectors.survey_list_for(user=request.user)})


@staff_view(Action.SURVEY_CREATE, methods=["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyDetailsForm(request.POST or None, user=request.user, initial={"minimum_age": 16})
    if request.method == "POST" and form.is_valid():
        details = form.details()
        require(request.user, Action.SURVEY_CREATE, details.team)
        try:
            survey = survey_create(details=details, actor=Actor.from_request(request))
        except BuilderRefusal as refusal:
            refuse_in_form(form, refusal)
        else:
            messages.success(request, f"“{survey.title}” has been created as a draft. Add its questions.")
            return redirect("engagement:survey", survey_id=survey.pk)
    return render(request, f"{TEMPLATES}/survey_details.html", {"form": form, "survey": None})


@staff_view(Action.SURVEY_VIEW, target=SURVEY)
def survey_overview(request: HttpRequest, survey: Survey) -> HttpResponse:
    return render(
        request,
        f"{TEMPLATES}/survey.html",
        {
            "survey": survey,
            "outline": selectors.survey_outline(survey=survey),
            "channel_counts": selectors.survey_channel_counts(survey=survey),
            "section": [QUESTIONS_BY_KEY[k] for k in selectors.survey_equality_section_keys(survey=survey) if k],
        },
    )


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["GET", "POST"])
def survey_details(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = SurveyDetailsForm(request.POST or None, user=request.user, initial=survey_details_initial(survey))
    if request.method == "POST" and form.is_valid():
        details = form.details()
        require(request.user, Action.SURVEY_EDIT, details.team)
        try:
            survey_details_update(survey=survey, details=details, actor=Actor.from_request(request))
        except BuilderRefusal as refusal:
            refuse_in_form(form, refusal)
        else:
            messages.success(request, "The survey's details have been saved.")
            return redirect("engagement:survey", survey_id=survey.pk)
    return render(request, f"{TEMPLATES}/survey_details.html", {"form": form, "survey": survey})


@staff_view(Action.SURVEY_EDIT, target=SURVEY, methods=["POST"])
def survey_copy(request: HttpRequest, survey: Survey) -> HttpResponse:
    copy = survey_duplicate(survey=survey, actor=Actor.from_request(request))
    messages.success(request, f"This is a draft copy of “{survey.title}”. Change its title and dates, then publish it.")
    return redirect("engagement:survey", survey_id=copy.pk)


@staff_view(Action.SURVEY_DELETE, target=SURVEY, methods=["GET", "POST"])
def survey_delete(request: HttpRequest, survey: Survey) -> HttpResponse:
    refusal = None
    if survey.status != Survey.Status.DRAFT or survey.responses.exists():
        refusal = (
            "Only a draft that nobody has answered can be deleted. Close the survey instead: its responses are kept."
        )
    if request.method == "POST" and refusal is None:
        try:
            title = survey_delete_draft(survey=survey, actor=Actor.from_request(request))
        except BuilderRefusal as error:
            refusal = error.message
        else:
            messages.success(request, f"The draft “{title}” has been deleted.")
            return redirect("engagement:dashboard")
    return render(request, f"{TEMPLATES}/survey_delete.html", {"survey": survey, "refusal": refusal})
