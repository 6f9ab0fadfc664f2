"""A consultation's engagement plan: suggested and chosen target groups, their progress, the activities."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from access.policy import Action, allowed
from access.views import staff_view
from audit.services import Actor
from plans.charts import progress_chart
from plans.forms import SEPARATOR, TargetDecisionForm, TargetGroupForm, group_parts
from plans.groups import characteristic_label
from plans.models import TargetGroup
from plans.protection import protect_share_of, protect_weeks
from plans.selectors import activity_effects, group_progress, partners_for, target_groups
from plans.services import PlanError, suggestion_decide, target_add, target_decide
from plans.views.common import group_of, protection_of, suggested
from surveys.models import Survey
from surveys.targets import SURVEY


def _group_sections(request: HttpRequest, survey: Survey, groups: list[TargetGroup]) -> list[dict]:
    protection = protection_of(request, survey)
    sections = []
    for index, group in enumerate(groups):
        weeks, total = protect_weeks(group_progress(group=group), protection=protection)
        title = f"{group}: responses so far against a target of {group.target:,}"
        sections.append(
            {
                "group": group,
                "characteristic": characteristic_label(group.characteristic),
                "weeks": weeks,
                "total": total,
                "chart": progress_chart(title=title, weeks=weeks, target=group.target, chart_id=f"progress-{index}"),
                "partners": partners_for(group),
            }
        )
    return sections


def _activity_rows(request: HttpRequest, survey: Survey, groups: list[TargetGroup]) -> list[dict]:
    protection = protection_of(request, survey)
    rows = []
    for effect in activity_effects(survey=survey, groups=groups):
        aimed = {g.pk for g in effect.activity.target_groups.all()}
        rows.append(
            {
                "activity": effect.activity,
                "through": effect.through,
                "groups": [
                    {
                        "group": group,
                        "aimed": group.pk in aimed,
                        "count": protect_share_of(effect.through, effect.by_group[group.pk], protection=protection),
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
            "sections": _group_sections(request, survey, accepted),
            "dismissed": target_groups(survey=survey, status=TargetGroup.Status.DISMISSED),
            "activities": _activity_rows(request, survey, accepted),
            "groups": accepted,
            "can_edit": allowed(request.user, Action.PLAN_EDIT, survey),
            "protected": not protection_of(request, survey).exact,
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
    if accept and match.target is None:
        return redirect(f"{reverse('plans:target_new', args=[survey.pk])}?group={value}")
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
    """Add a target group by hand, or accept a suggestion with a target of the officer's choosing."""
    initial = {"group": request.GET.get("group", "")}
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
    return render(request, "plans/target_form.html", {"survey": survey, "form": form})


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
