"""Attendees' own About you profiles: the private link attendees open, the form an officer hands round,
and the attendees compared with the census (the report page, protection and download of any population)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from plans.attendees import about_you_form, about_you_page, attendee_profile_create, attendees_report
from plans.models import Activity
from plans.views.common import activity_of
from representativeness.disclosure import Audience, audience_for, protection_for
from representativeness.reports.builder import ReportError
from representativeness.reports.sections import report_sections
from representativeness.views.downloads import report_download_response
from representativeness.views.reports import _form
from surveys.models import Survey
from surveys.targets import SURVEY


def _attended(code: str) -> Activity:
    activity = Activity.objects.select_related("survey").filter(attendee_code=code).first()
    if activity is None or not activity.has_attendees:
        raise Http404("No such activity")
    return activity


def about_you(request: HttpRequest, code: str) -> HttpResponse:
    """An attendee's own About you form, through the activity's private link; no sign-in."""
    activity = _attended(code)
    survey = activity.survey
    page = about_you_page(activity)
    if page is None or not survey.is_accepting_responses():
        return render(
            request,
            "plans/about_you_unavailable.html",
            {
                "heading": "This form is not open",
                "reason": f"“{activity.title}” is not taking attendees' answers now.",
            },
            status=404,
        )
    form = about_you_form(page, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        attendee_profile_create(activity=activity, answers=form.answers)
        return redirect("attendees:about_you_sent", code=code)
    context = {"activity": activity, "survey": survey, "about_you": form, "show_errors": form.is_bound}
    return render(request, "plans/about_you.html", context, status=400 if form.is_bound else 200)


def about_you_sent(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "plans/about_you_sent.html", {"activity": _attended(code)})


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["GET", "POST"])
def profile_entry(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    """An attendee's About you answers on an officer's device (handed round, or typed from paper)."""
    activity = activity_of(survey, activity_id)
    page = about_you_page(activity)
    if page is None or not activity.has_attendees:
        raise Http404("This activity takes no attendees' profiles")
    form = about_you_form(page, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        attendee_profile_create(activity=activity, answers=form.answers, actor=Actor.from_request(request))
        url = reverse("plans:activity_profiles", kwargs={"survey_id": survey.pk, "activity_id": activity.pk})
        return redirect(f"{url}?saved=1")
    # An attendee holds the device: a resident's page (no officer menu or links, no count of those so far).
    context = {
        "survey": survey,
        "activity": activity,
        "about_you": form,
        "show_errors": form.is_bound,
        "saved": request.method == "GET" and request.GET.get("saved") == "1",
    }
    return render(request, "plans/profiles_form.html", context, status=400 if form.is_bound else 200)


@staff_view(Action.PLAN_VIEW, target=SURVEY)
def profiles_report(request: HttpRequest, survey: Survey, activity_id: int) -> HttpResponse:
    activity = activity_of(survey, activity_id)
    form = _form(request)
    audience = audience_for(request.user, survey)
    context: dict = {"survey": survey, "activity": activity, "form": form}
    if form.is_bound and form.is_valid():
        try:
            report = attendees_report(activity=activity, area_code=form.cleaned_data["area"].code, audience=audience)
            context.update(report=report, sections=report_sections(report), query=f"area={report.area_code}")
        except ReportError as error:
            form.add_error(None, protection_for(audience=audience).error_text(error))
    return render(request, "plans/profiles_report.html", context, status=400 if form.errors else 200)


@staff_view(Action.DOWNLOAD, target=SURVEY)
def profiles_download(request: HttpRequest, survey: Survey, activity_id: int, file_format: str) -> HttpResponse:
    activity = activity_of(survey, activity_id)
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Choose an area to compare with.", status=400, content_type="text/plain")
    try:
        area_code = form.cleaned_data["area"].code
        report = attendees_report(activity=activity, area_code=area_code, audience=Audience.PROTECTED)
    except ReportError as error:
        return HttpResponse(
            protection_for(audience=Audience.PROTECTED).error_text(error), status=400, content_type="text/plain"
        )
    return report_download_response(
        request, survey, name=f"activity-{activity.pk}-attendees", file_format=file_format, report=report
    )
