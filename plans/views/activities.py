"""Outreach activities: add and change them, and name the keyed-in responses that came through them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.models import Team
from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from plans.forms import ActivityForm, AttributionForm
from plans.models import Activity
from plans.selectors import hub_event_unnamed
from plans.services import PlanError, activity_save, attendees_record, attribution_name
from plans.views.common import activity_of
from representativeness.forms import DatasetUploadForm
from representativeness.views.datasets import MAX_BYTES, dataset_from_form
from surveys.models import Survey
from surveys.targets import SURVEY


def _attendee_link(request: HttpRequest, activity: Activity) -> str:
    if not activity.pk:
        return ""
    return request.build_absolute_uri(reverse("attendees:about_you", args=[activity.attendee_code]))


def _activity_form(request: HttpRequest, survey: Survey, activity: Activity) -> HttpResponse | None:
    form = ActivityForm(request.POST or None, instance=activity, survey=survey)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.survey = survey
        activity_save(
            activity=saved, target_groups=list(form.cleaned_data["target_groups"]), actor=Actor.from_request(request)
        )
        messages.success(request, f"“{saved.title}” has been saved.")
        return redirect("plans:activity", survey_id=survey.pk, activity_id=saved.pk)
    return render(
        request,
        "plans/activity_form.html",
        {
            "survey": survey,
            "form": form,
            "activity": activity if activity.pk else None,
            "attribution_form": AttributionForm() if activity.pk else None,
            "link": request.build_absolute_uri(f"/s/{survey.slug}/?via={activity.code}") if activity.pk else "",
            "attendee_link": _attendee_link(request, activity),
            "from_event": hub_event_unnamed(activity=activity) if activity.pk else [],
        },
    )


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["GET", "POST"])
def activity_new(request: HttpRequest, survey: Survey) -> HttpResponse:
    return _activity_form(request, survey, Activity(survey=survey))


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["GET", "POST"])
def activity_edit(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    return _activity_form(request, survey, activity_of(survey, activity_id))


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["POST"])
def activity_responses(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    activity = activity_of(survey, activity_id)
    form = AttributionForm(request.POST)
    if form.is_valid():
        try:
            added = attribution_name(
                activity=activity, references=form.cleaned_references(), actor=Actor.from_request(request)
            )
        except PlanError as error:
            form.add_error("references", str(error))
        else:
            messages.success(
                request, f"{added} response{'s' if added != 1 else ''} named as coming through “{activity}”."
            )
            return redirect("plans:activity", survey_id=survey.pk, activity_id=activity.pk)
    return render(
        request,
        "plans/activity_form.html",
        {
            "survey": survey,
            "form": ActivityForm(instance=activity, survey=survey),
            "activity": activity,
            "attribution_form": form,
            "link": request.build_absolute_uri(f"/s/{survey.slug}/?via={activity.code}"),
            "attendee_link": _attendee_link(request, activity),
            "from_event": hub_event_unnamed(activity=activity),
        },
        status=400,
    )


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["POST"])
def activity_responses_from_event(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    """Name the responses keyed in from the activity's hub event as having come through it, in one go."""
    activity = activity_of(survey, activity_id)
    references = hub_event_unnamed(activity=activity)
    if references:
        added = attribution_name(activity=activity, references=references, actor=Actor.from_request(request))
        messages.success(request, f"{added} response{'s' if added != 1 else ''} named as coming through “{activity}”.")
    return redirect("plans:activity", survey_id=survey.pk, activity_id=activity.pk)


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["GET", "POST"])
def activity_attendees(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    """The attendees' profile: their rows or counts, compared with the census as any group is."""
    activity = activity_of(survey, activity_id)
    form = DatasetUploadForm(
        request.POST or None,
        request.FILES or None,
        teams=Team.objects.filter(pk=survey.team_id),
        max_bytes=MAX_BYTES,
        initial={"title": f"Attendees of {activity.title}", "team": survey.team_id},
    )
    issues: list[str] = []
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        dataset, issues = dataset_from_form(
            form,
            team=survey.team,
            actor=actor,
            then=lambda dataset: attendees_record(activity=activity, dataset=dataset, actor=actor),
        )
        if dataset is not None:
            messages.success(request, f"The attendees of “{activity}” have been counted; the file has not been kept.")
            return redirect("representativeness:dataset", dataset_id=dataset.pk)
    return render(
        request,
        "plans/attendees_form.html",
        {"survey": survey, "activity": activity, "form": form, "issues": issues},
        status=400 if form.errors else 200,
    )
