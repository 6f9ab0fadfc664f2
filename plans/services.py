"""Changing plans: target groups, activities, attributions and partners. Each change is one transaction
and is recorded in the audit log."""

from django.db import transaction

from audit.models import AuditAction
from audit.services import Actor, audit_record
from plans.models import Activity, Attribution, Partner, TargetGroup
from plans.suggestions import Suggestion
from representativeness.models import GroupDataset
from representativeness.services.datasets import dataset_delete
from surveys.models import Channel, ResidenceArea, Response, Survey


class PlanError(Exception):
    """A change that cannot be made, with a message for the officer."""


@transaction.atomic
def suggestion_decide(
    *, survey: Survey, suggestion: Suggestion, accept: bool, target: int | None, actor: Actor
) -> TargetGroup:
    """Accept a suggested group into the plan (with its target, or the officer's) or dismiss it."""
    if TargetGroup.objects.filter(
        survey=survey,
        characteristic=suggestion.characteristic,
        level=suggestion.level,
        category=suggestion.category,
        ward=None,
    ).exists():
        raise PlanError("This group is already in the plan or dismissed")
    target = target if target is not None else suggestion.target
    if accept and (target is None or target < 1):
        raise PlanError("Enter a target of at least 1 response")
    group = TargetGroup.objects.create(
        survey=survey,
        characteristic=suggestion.characteristic,
        level=suggestion.level,
        category=suggestion.category,
        target=target if accept else None,
        outreach_when_suggested=suggestion.outreach,
        status=TargetGroup.Status.ACCEPTED if accept else TargetGroup.Status.DISMISSED,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CHANGED,
        target=survey,
        detail={"target_group": str(group), "status": group.status, "target": group.target},
    )
    return group


@transaction.atomic
def target_decide(*, group: TargetGroup, status: str, target: int | None, actor: Actor) -> TargetGroup:
    """Accept (with its target, or a new one), edit the target of, or dismiss a target group."""
    if status == TargetGroup.Status.ACCEPTED:
        target = target if target is not None else group.target
        if target is None or target < 1:
            raise PlanError("Enter a target of at least 1 response")
        group.target = target
    group.status = status
    group.save(update_fields=["status", "target"])
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CHANGED,
        target=group.survey,
        detail={"target_group": str(group), "status": status, "target": group.target},
    )
    return group


@transaction.atomic
def target_add(
    *,
    survey: Survey,
    characteristic: str,
    level: str,
    category: str,
    ward: ResidenceArea | None,
    target: int,
    actor: Actor,
) -> TargetGroup:
    if TargetGroup.objects.filter(
        survey=survey, characteristic=characteristic, level=level, category=category, ward=ward
    ).exists():
        raise PlanError("This group is already in the plan")
    group = TargetGroup.objects.create(
        survey=survey,
        characteristic=characteristic,
        level=level,
        category=category,
        ward=ward,
        target=target,
        status=TargetGroup.Status.ACCEPTED,
    )
    audit_record(actor=actor, action=AuditAction.PLAN_CHANGED, target=survey, detail={"target_group": str(group)})
    return group


@transaction.atomic
def activity_save(*, activity: Activity, target_groups: list[TargetGroup], actor: Actor) -> Activity:
    created = activity.pk is None
    activity.save()
    activity.target_groups.set(target_groups)
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CHANGED,
        target=activity.survey,
        detail={"activity": activity.title, "added" if created else "changed": True},
    )
    return activity


def attribution_from_link(*, response: Response, code: str | None) -> Attribution | None:
    """Attribute a response sent online to the activity whose tracked link the resident followed."""
    if not code:
        return None
    activity = Activity.objects.filter(survey_id=response.survey_id, code=code).first()
    if activity is None:
        return None
    attribution, _ = Attribution.objects.get_or_create(
        response=response, defaults={"activity": activity, "how": Attribution.How.LINK}
    )
    return attribution


# Responses keyed in from these channels name the activity they came from; online ones arrive by link.
NAMED_CHANNELS = (Channel.PAPER, Channel.EVENT, Channel.PHONE, Channel.EMAIL)


@transaction.atomic
def attribution_name(*, activity: Activity, references: list[str], actor: Actor) -> int:
    """Name `activity` as where the keyed-in responses with these references came from. All or nothing."""
    wanted = [r.strip().upper() for r in references if r.strip()]
    if not wanted:
        raise PlanError("Enter at least one response reference")
    found = {r.reference: r for r in Response.objects.filter(survey_id=activity.survey_id, reference__in=wanted)}
    unknown = [r for r in wanted if r not in found]
    if unknown:
        raise PlanError(f"No response to this consultation has the reference {', '.join(unknown)}")
    online = [r for r in wanted if found[r].channel not in NAMED_CHANNELS]
    if online:
        raise PlanError(
            f"{', '.join(online)} came in online: online responses are attributed by the activity's tracked link"
        )
    elsewhere = list(
        Attribution.objects.filter(response__in=found.values())
        .exclude(activity=activity)
        .values_list("response__reference", flat=True)
    )
    if elsewhere:
        raise PlanError(f"{', '.join(elsewhere)} already came through another activity")
    added = 0
    for reference in dict.fromkeys(wanted):
        _, created = Attribution.objects.get_or_create(
            response=found[reference], defaults={"activity": activity, "how": Attribution.How.NAMED}
        )
        added += created
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CHANGED,
        target=activity.survey,
        detail={"activity": activity.title, "responses_named": added},
    )
    return added


@transaction.atomic
def attendees_record(*, activity: Activity, dataset: GroupDataset, actor: Actor) -> Activity:
    """Name a group dataset (uploaded or typed counts) as the activity's attendees' profile.

    Counting the attendees again replaces the earlier count: its dataset is deleted (and the deletion
    audited), so the datasets page lists each activity's attendees once, as counted last."""
    previous = activity.attendees
    activity.attendees = dataset
    activity.save(update_fields=["attendees"])
    detail = {"activity": activity.title, "attendees": str(dataset.pk)}
    if previous is not None and previous.pk != dataset.pk:
        detail["replaces"] = str(previous.pk)
    audit_record(actor=actor, action=AuditAction.PLAN_CHANGED, target=activity.survey, detail=detail)
    if "replaces" in detail and not Activity.objects.filter(attendees=previous).exists():
        dataset_delete(dataset=previous, actor=actor)
    return activity


@transaction.atomic
def partner_save(*, partner: Partner, areas: list[ResidenceArea], actor: Actor) -> Partner:
    partner.save()
    partner.areas.set(areas)
    audit_record(actor=actor, action=AuditAction.PARTNER_CHANGED, target=partner)
    return partner
