"""Reading plans: target groups, their responses week by week, activities and what came through them."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from plans.groups import group_columns, group_label
from plans.models import Activity, Attribution, Partner, TargetGroup
from plans.progress import Week, week_count, week_number, weekly_series
from representativeness.age_bands import survey_age_bands
from surveys.models import EqualityProfile, ResidenceArea, Response, Survey


def target_groups(*, survey: Survey, status: str | None = None) -> QuerySet[TargetGroup]:
    groups = TargetGroup.objects.filter(survey=survey).select_related("ward")
    return groups.filter(status=status) if status else groups


def group_members(*, group: TargetGroup, through_id: int | None = None) -> dict[str, dt.datetime]:
    """The responses (by id) whose About you answers put them in the group, with when they were sent
    (only those in a published snapshot, the profiles up to `through_id`, when one is given)."""
    survey = group.survey
    columns = group_columns(group.characteristic)
    rows = EqualityProfile.objects.filter(survey=survey, section_skipped=False)
    if through_id is not None:
        rows = rows.filter(pk__lte=through_id)
    if group.ward_id:
        rows = rows.filter(area=group.ward.code)
    bands = survey_age_bands(survey.minimum_age) if group.characteristic == "age" else ()
    ward_names = dict(ResidenceArea.objects.values_list("code", "name")) if group.characteristic == "area" else None
    members = {}
    for response_id, submitted_at, *values in rows.values_list("response_id", "submitted_at", *columns):
        label = group_label(group.characteristic, group.level, tuple(values), bands=bands, ward_names=ward_names)
        if label == group.category:
            members[str(response_id)] = submitted_at
    return members


def plan_first_day(survey: Survey) -> dt.date:
    """Week 1 starts the day the survey opened (or was created, if it has no opening date)."""
    return timezone.localdate(survey.opens_at or survey.created_at)


def plan_last_day(survey: Survey, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    if survey.closes_at is not None:
        today = min(today, timezone.localdate(survey.closes_at))
    return max(today, plan_first_day(survey))


def group_progress(*, group: TargetGroup, today: dt.date | None = None, through_id: int | None = None) -> list[Week]:
    members = group_members(group=group, through_id=through_id)
    return weekly_series(
        (timezone.localdate(at) for at in members.values()),
        first_day=plan_first_day(group.survey),
        last_day=plan_last_day(group.survey, today),
    )


@dataclass(frozen=True)
class ActivityEffect:
    activity: Activity
    through: int  # responses attributed to it
    by_group: dict[int, int]  # target group id -> responses from the group through it


def activity_effects(
    *,
    survey: Survey,
    groups: list[TargetGroup],
    through_id: int | None = None,
    attributed_until: dt.datetime | None = None,
) -> list[ActivityEffect]:
    """Each activity's responses, and how many came from each group. With a published snapshot (the
    profiles up to `through_id`, published at `attributed_until`) both count only its responses, as they
    were attributed when it was published: neither moves one response, or one attribution, at a time."""
    members = {group.pk: set(group_members(group=group, through_id=through_id)) for group in groups}
    effects = []
    activities = (
        Activity.objects.filter(survey=survey).select_related("partner", "ward").prefetch_related("target_groups")
    )
    for activity in activities:
        attributed = Attribution.objects.filter(activity=activity)
        if through_id is not None:
            attributed = attributed.filter(response__equality_profile__pk__lte=through_id)
        if attributed_until is not None:
            attributed = attributed.filter(at__lte=attributed_until)
        responses = {str(r) for r in attributed.values_list("response_id", flat=True)}
        effects.append(
            ActivityEffect(
                activity=activity,
                through=len(responses),
                by_group={group_id: len(responses & ids) for group_id, ids in members.items()},
            )
        )
    return effects


@dataclass(frozen=True)
class PlanPeople:
    """Everyone a protected plan counts (the published snapshot's respondents, by response id): the week
    each counts in, the activity each came through (None: none), and the target groups each is in. The
    disclosure module protects the plan's figures as grids of these (weeks or activities by groups)."""

    weeks: int
    week: dict[str, int]
    activity: dict[str, int | None]
    members: dict[int, set[str]]  # target group id -> response ids


def plan_people(
    *,
    survey: Survey,
    groups: list[TargetGroup],
    through_id: int | None = None,
    attributed_until: dt.datetime | None = None,
) -> PlanPeople:
    """Everyone who gave a profile (with a published snapshot, the profiles up to `through_id` and the
    attributions made by `attributed_until`), as `activity_effects` and `group_progress` count them."""
    first_day, last_day = plan_first_day(survey), plan_last_day(survey)
    weeks = week_count(first_day=first_day, last_day=last_day)
    profiles = EqualityProfile.objects.filter(survey=survey)
    attributed = Attribution.objects.filter(activity__survey=survey)
    if through_id is not None:
        profiles = profiles.filter(pk__lte=through_id)
        attributed = attributed.filter(response__equality_profile__pk__lte=through_id)
    week = {
        str(response_id): week_number(timezone.localdate(at), first_day=first_day, weeks=weeks)
        for response_id, at in profiles.values_list("response_id", "submitted_at")
    }
    if attributed_until is not None:
        attributed = attributed.filter(at__lte=attributed_until)
    through = {str(r): a for r, a in attributed.values_list("response_id", "activity_id")}
    return PlanPeople(
        weeks=weeks,
        week=week,
        activity={response: through.get(response) for response in week},
        members={group.pk: set(group_members(group=group, through_id=through_id)) for group in groups},
    )


def partners_for(group: TargetGroup) -> list[Partner]:
    """Partners who work with the group: its community (an age band: one whose ages overlap it), or for a
    ward target the partners working in that ward; within a ward, only partners working there (or anywhere)."""
    partners = list(Partner.objects.prefetch_related("areas"))
    if group.characteristic == "area":
        found = [p for p in partners if any(a.name == group.category for a in p.areas.all())]
    elif group.characteristic == "age":
        found = [p for p in partners if _ages_overlap(group.category, p.communities)]
    else:
        found = [p for p in partners if group.community in p.communities]
    if group.ward_id:
        found = [p for p in found if not p.areas.all() or any(a.pk == group.ward_id for a in p.areas.all())]
    return found


def _age_range(label: str) -> tuple[int, float] | None:
    """ "16 to 24" as (16, 24), "75 and over" as (75, inf); None for anything else."""
    low, _, rest = label.partition(" ")
    if not low.isdigit():
        return None
    if rest == "and over":
        return int(low), float("inf")
    high = rest.removeprefix("to ")
    return (int(low), int(high)) if rest.startswith("to ") and high.isdigit() else None


def _ages_overlap(category: str, communities: list[str]) -> bool:
    wanted = _age_range(category)
    if wanted is None:
        return False
    for community in communities:
        characteristic, _, label = community.partition(":")
        band = _age_range(label) if characteristic == "age" else None
        if band is not None and band[0] <= wanted[1] and wanted[0] <= band[1]:
            return True
    return False


def hub_event_unnamed(*, activity: Activity) -> list[str]:
    """References of the responses keyed in from the activity's hub event (engagement.ResponseSource) that
    no activity has been named for yet."""
    if activity.hub_event_id is None:
        return []
    return list(
        Response.objects.filter(source__event_id=activity.hub_event_id, attribution__isnull=True)
        .order_by("reference")
        .values_list("reference", flat=True)
    )


@dataclass(frozen=True)
class NamedReferences:
    """The responses attributed to an activity, live: the keyed-in ones named under it (which can be
    un-named), and how many came through its tracked link."""

    named: list[Response]
    by_link: int


def named_references(*, activity: Activity) -> NamedReferences:
    attributions = Attribution.objects.filter(activity=activity)
    named = [
        a.response
        for a in attributions.filter(how=Attribution.How.NAMED)
        .select_related("response")
        .order_by("response__reference")
    ]
    return NamedReferences(named=named, by_link=attributions.filter(how=Attribution.How.LINK).count())
