"""A consultation's engagement plan: suggested and chosen target groups, their progress, the activities."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from access.policy import Action, allowed
from access.views import staff_view
from audit.services import Actor
from plans.charts import progress_chart
from plans.forms import SEPARATOR, TargetDecisionForm, TargetGroupForm, group_parts
from plans.groups import characteristic_label
from plans.models import TargetGroup
from plans.progress import week_count
from plans.protection import PlanFigures, protect_plan, published_in_report
from plans.selectors import (
    ActivityEffect,
    activity_effects,
    partners_for,
    plan_first_day,
    plan_last_day,
    plan_people,
    target_groups,
)
from plans.services import PlanError, suggestion_decide, target_add, target_decide
from plans.views.common import Suggested, group_of, protection_of, suggested
from representativeness.disclosure import Protection, SnapshotUnavailable, published_snapshot
from representativeness.reports.builder import Report
from surveys.models import Survey
from surveys.targets import SURVEY


@dataclass(frozen=True)
class _Counted:
    """What the audience's plan figures are counted from: the live answers (exact), or the published
    snapshot with the groups whose count the report (of the same snapshot) shows (protected)."""

    protection: Protection
    through_id: int | None = None
    published_at: dt.datetime | None = None
    report: Report | None = None
    # For the protected audience: which published snapshot the figures are counted from, and why.
    note: str = ""

    def published(self, group: TargetGroup) -> bool:
        return self.protection.exact or published_in_report(
            self.report,
            characteristic=group.characteristic,
            level=group.level,
            category=group.category,
            ward=group.ward_id,
        )


def _counted(request: HttpRequest, survey: Survey, found: Suggested) -> _Counted:
    protection = protection_of(request, survey)
    if protection.exact:
        return _Counted(protection)
    try:
        snapshot = published_snapshot(survey=survey)  # refreshed already, if due, by the report
    except SnapshotUnavailable as unavailable:
        return _Counted(protection, through_id=0, note=str(unavailable))  # nothing published: every figure hidden
    return _Counted(
        protection,
        through_id=snapshot.through_profile_id,
        published_at=snapshot.refreshed_at or timezone.now(),
        report=found.report,
        note=f"{snapshot.note()} {LIVE_ELSEWHERE}",
    )


# Beside the published figures: why the survey's page can show more responses than the plan.
LIVE_ELSEWHERE = "The survey's page counts every response as it arrives, so its totals can be higher than these."


def _figures(
    counted: _Counted, survey: Survey, groups: list[TargetGroup], effects: list[ActivityEffect]
) -> PlanFigures:
    """Every group's progress and responses through each activity, protected together (plans.protection)."""
    first_day = plan_first_day(survey)
    weeks = week_count(first_day=first_day, last_day=plan_last_day(survey))
    return protect_plan(
        plan_people(survey=survey, groups=groups, through_id=counted.through_id, attributed_until=counted.published_at),
        characteristics={group.pk: group.characteristic for group in groups},
        published={group.pk for group in groups if counted.published(group)},
        activities=[effect.activity.pk for effect in effects],
        week_starts=[first_day + dt.timedelta(days=7 * week) for week in range(weeks)],
        protection=counted.protection,
    )


def _group_sections(figures: PlanFigures, groups: list[TargetGroup]) -> list[dict]:
    sections = []
    for index, group in enumerate(groups):
        weeks = figures.weeks[group.pk]
        title = f"{group}: responses so far against a target of {group.target:,}"
        sections.append(
            {
                "group": group,
                "characteristic": characteristic_label(group.characteristic),
                "weeks": weeks,
                "total": figures.totals[group.pk],
                "chart": progress_chart(title=title, weeks=weeks, target=group.target, chart_id=f"progress-{index}"),
                "partners": partners_for(group),
            }
        )
    return sections


def _activity_rows(figures: PlanFigures, effects: list[ActivityEffect], groups: list[TargetGroup]) -> list[dict]:
    rows = []
    for effect in effects:
        aimed = {g.pk for g in effect.activity.target_groups.all()}
        rows.append(
            {
                "activity": effect.activity,
                "through": effect.through,
                "groups": [
                    {
                        "group": group,
                        "aimed": group.pk in aimed,
                        "count": figures.from_group[(effect.activity.pk, group.pk)],
                    }
                    for group in groups
                ],
            }
        )
    return rows


@staff_view(Action.PLAN_VIEW, target=SURVEY)
def plan_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    accepted = list(target_groups(survey=survey, status=TargetGroup.Status.ACCEPTED))
    found = suggested(request, survey)
    counted = _counted(request, survey, found)
    effects = activity_effects(
        survey=survey, groups=accepted, through_id=counted.through_id, attributed_until=counted.published_at
    )
    figures = _figures(counted, survey, accepted, effects)
    return render(
        request,
        "plans/plan.html",
        {
            "survey": survey,
            "suggested": found,
            "suggestions": [
                {
                    "suggestion": s,
                    "value": SEPARATOR.join((s.characteristic, s.level, s.category)),
                    "characteristic": characteristic_label(s.characteristic),
                }
                for s in found.suggestions
            ],
            "sections": _group_sections(figures, accepted),
            "dismissed": target_groups(survey=survey, status=TargetGroup.Status.DISMISSED),
            "activities": _activity_rows(figures, effects, accepted),
            "groups": accepted,
            "can_edit": allowed(request.user, Action.PLAN_EDIT, survey),
            "protected": not counted.protection.exact,
            "snapshot_note": counted.note,
        },
    )


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["POST"])
def suggestion_decision(request: HttpRequest, survey: Survey) -> HttpResponse:
    """Accept (with the suggested target) or dismiss one of the report's suggestions. A suggestion whose
    target the officer cannot see, or wants to change, goes to the target form instead."""
    value = request.POST.get("group", "")
    match = next(
        (
            s
            for s in suggested(request, survey).suggestions
            if SEPARATOR.join((s.characteristic, s.level, s.category)) == value
        ),
        None,
    )
    if match is None:
        messages.error(request, "That suggestion is no longer in the report, or has been decided already.")
        return redirect("plans:plan", survey_id=survey.pk)
    accept = request.POST.get("decision") == "accept"
    if accept and match.target is None:  # the target is hidden from this officer: they set one (target_new says so)
        return redirect(f"{reverse('plans:target_new', args=[survey.pk])}?{urlencode({'group': value})}")
    try:
        group = suggestion_decide(
            survey=survey, suggestion=match, accept=accept, target=None, actor=Actor.from_request(request)
        )
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{group}” has been {'added to the plan' if accept else 'dismissed'}.")
    return redirect("plans:plan", survey_id=survey.pk)


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["GET", "POST"])
def target_new(request: HttpRequest, survey: Survey) -> HttpResponse:
    """Add a target group by hand, or accept a suggestion with a target of the officer's choosing (the
    suggested target filled in, or, where it is hidden from this officer, a note saying why)."""
    chosen = request.GET.get("group", "")
    suggestion = (
        next(
            (
                s
                for s in suggested(request, survey).suggestions
                if SEPARATOR.join((s.characteristic, s.level, s.category)) == chosen
            ),
            None,
        )
        if chosen and request.method == "GET"
        else None
    )
    initial = {"group": chosen, "target": suggestion.target if suggestion is not None else None}
    form = TargetGroupForm(request.POST or None, survey=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        characteristic, level, category = group_parts(form.cleaned_data["group"])
        actor = Actor.from_request(request)
        match = next(
            (
                s
                for s in suggested(request, survey).suggestions
                if (s.characteristic, s.level, s.category) == (characteristic, level, category)
            ),
            None,
        )
        try:
            if match is not None and form.cleaned_data["ward"] is None:
                group = suggestion_decide(
                    survey=survey, suggestion=match, accept=True, target=form.cleaned_data["target"], actor=actor
                )
            else:
                group = target_add(
                    survey=survey,
                    characteristic=characteristic,
                    level=level,
                    category=category,
                    ward=form.cleaned_data["ward"],
                    target=form.cleaned_data["target"],
                    actor=actor,
                )
        except PlanError as error:
            form.add_error("group", str(error))
        else:
            messages.success(request, f"“{group}” has been added to the plan.")
            return redirect("plans:plan", survey_id=survey.pk)
    return render(
        request,
        "plans/target_form.html",
        {
            "survey": survey,
            "form": form,
            "suggestion": suggestion,
            "characteristic": characteristic_label(suggestion.characteristic) if suggestion else "",
        },
    )


@staff_view(Action.PLAN_EDIT, target=SURVEY, methods=["GET", "POST"])
def target_edit(request: HttpRequest, survey: Survey, group_id: int) -> HttpResponse:
    group = group_of(survey, group_id)
    form = TargetDecisionForm(
        request.POST or None, initial={"decision": TargetGroup.Status.ACCEPTED, "target": group.target}
    )
    if request.method == "POST" and form.is_valid():
        try:
            target_decide(
                group=group,
                status=form.cleaned_data["decision"],
                target=form.cleaned_data["target"],
                actor=Actor.from_request(request),
            )
        except PlanError as error:
            form.add_error("target", str(error))
        else:
            messages.success(request, f"“{group}” has been saved.")
            return redirect("plans:plan", survey_id=survey.pk)
    return render(
        request,
        "plans/target_edit.html",
        {"survey": survey, "form": form, "group": group, "characteristic": characteristic_label(group.characteristic)},
    )
