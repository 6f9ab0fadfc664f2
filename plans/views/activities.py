"""Outreach activities: add and change them, and name the keyed-in responses that came through them."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.models import Team
from access.policy import Action, allowed
from access.views import staff_view
from audit.services import Actor
from plans.forms import ActivityForm, AttributionForm
from plans.models import Activity
from plans.selectors import hub_event_unnamed, named_references
from plans.services import (
    PlanError,
    activity_delete,
    activity_deletion,
    activity_save,
    attendees_record,
    attribution_name,
    attribution_remove,
)
from plans.views.common import activity_of
from representativeness.forms import DatasetUploadForm
from representativeness.views.datasets import MAX_BYTES, dataset_from_form
from surveys.models import Survey
from surveys.targets import SURVEY


def _attendee_link(request: HttpRequest, activity: Activity) -> str:
    if not activity.pk:
        return ""
    return request.build_absolute_uri(reverse("attendees:about_you", args=[activity.attendee_code]))


def _page(
    request: HttpRequest,
    survey: Survey,
    activity: Activity,
    *,
    form: ActivityForm,
    attribution_form: AttributionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The activity's page: its links, the responses named under it, attendees, and the activity's form."""
    saved = activity.pk is not None
    return render(
        request,
        "plans/activity_form.html",
        {
            "survey": survey,
            "form": form,
            "activity": activity if saved else None,
            "attribution_form": (attribution_form or AttributionForm()) if saved else None,
            "link": request.build_absolute_uri(f"/s/{survey.slug}/?via={activity.code}") if saved else "",
            "attendee_link": _attendee_link(request, activity),
            "from_event": hub_event_unnamed(activity=activity) if saved else [],
            "named": named_references(activity=activity) if saved else None,
            # References link to the responses for whoever may read them (the page itself is for planners).
            "can_read_responses": allowed(request.user, Action.RESPONSE_VIEW, survey),
        },
        status=status,
    )


def _activity_form(request: HttpRequest, survey: Survey, activity: Activity) -> HttpResponse:
    form = ActivityForm(request.POST or None, instance=activity, survey=survey)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.survey = survey
        activity_save(
            activity=saved, target_groups=list(form.cleaned_data["target_groups"]), actor=Actor.from_request(request)
        )
        messages.success(request, f"“{saved.title}” has been saved.")
        return redirect("plans:activity", survey_id=survey.pk, activity_id=saved.pk)
    return _page(request, survey, activity, form=form, status=400 if form.errors else 200)


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
            named = attribution_name(
                activity=activity, references=form.cleaned_references(), actor=Actor.from_request(request)
            )
        except PlanError as error:
            form.add_error("references", str(error))
        else:
            (messages.success if named.added else messages.info)(request, named.message(activity))
            return redirect(f"{reverse('plans:activity', args=[survey.pk, activity.pk])}#responses")
    return _page(
        request,
        survey,
        activity,
        form=ActivityForm(instance=activity, survey=survey),
        attribution_form=form,
        status=400,
    )


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["POST"])
def activity_response_remove(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    """Un-name a response named under the activity by mistake."""
    activity = activity_of(survey, activity_id)
    reference = request.POST.get("reference", "")[:40]
    try:
        attribution_remove(activity=activity, reference=reference, actor=Actor.from_request(request))
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{reference.strip().upper()} is no longer named as coming through “{activity}”.")
    return redirect(f"{reverse('plans:activity', args=[survey.pk, activity.pk])}#responses")


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["GET", "POST"])
def activity_delete_confirm(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    """Delete an activity (one added by mistake, or dated wrongly), after saying what goes with it."""
    activity = activity_of(survey, activity_id)
    if request.method == "POST":
        activity_delete(activity=activity, actor=Actor.from_request(request))
        messages.success(request, f"“{activity.title}” has been deleted.")
        return redirect(f"{reverse('plans:plan', args=[survey.pk])}#activities")
    return render(
        request,
        "plans/activity_delete.html",
        {"survey": survey, "activity": activity, "deletion": activity_deletion(activity)},
    )


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["POST"])
def activity_responses_from_event(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    """Name the responses keyed in from the activity's hub event as having come through it, in one go."""
    activity = activity_of(survey, activity_id)
    references = hub_event_unnamed(activity=activity)
    if references:
        named = attribution_name(activity=activity, references=references, actor=Actor.from_request(request))
        messages.success(request, named.message(activity))
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
