"""Changing plans: target groups, activities, attributions and partners. Each change is one transaction
and is recorded in the audit log."""

from dataclasses import dataclass, field

from django.db import transaction

from audit.models import AuditAction
from audit.services import Actor, audit_record
from plans.groups import group_problem
from plans.models import Activity, AttendeeProfile, Attribution, Partner, TargetGroup
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
    problem = group_problem(suggestion.characteristic, suggestion.level, suggestion.category, ward=None)
    if problem and accept:
        raise PlanError(problem)
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
    problem = group_problem(characteristic, level, category, ward=ward)
    if problem:
        raise PlanError(problem)
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
    if activity.partner_id:
        activity.partner_name = ""  # a partner from the directory again: no deleted one's name to keep
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
NAMED_CHANNELS = (Channel.PAPER, Channel.EVENT, Channel.PHONE, Channel.EMAIL, Channel.PARTNER)


@dataclass(frozen=True)
class Named:
    """What naming references did: the references newly named, and those already named under the activity."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)

    def message(self, activity: Activity) -> str:
        parts = []
        if self.added:
            n = len(self.added)
            parts.append(f"{n} response{'s' if n != 1 else ''} named as coming through “{activity}”.")
        if self.already:
            verb = "was" if len(self.already) == 1 else "were"
            parts.append(f"{', '.join(self.already)} {verb} already named under this activity.")
        return " ".join(parts)


@transaction.atomic
def attribution_name(*, activity: Activity, references: list[str], actor: Actor) -> Named:
    """Name `activity` as where the keyed-in responses with these references came from. All or nothing."""
    wanted = list(dict.fromkeys(r.strip().upper() for r in references if r.strip()))
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
    attributed = dict(
        Attribution.objects.filter(response__in=found.values()).values_list("response__reference", "activity_id")
    )
    elsewhere = [r for r in wanted if r in attributed and attributed[r] != activity.pk]
    if elsewhere:
        raise PlanError(f"{', '.join(elsewhere)} already came through another activity")
    named = Named(added=[r for r in wanted if r not in attributed], already=[r for r in wanted if r in attributed])
    Attribution.objects.bulk_create(
        Attribution(response=found[r], activity=activity, how=Attribution.How.NAMED) for r in named.added
    )
    if named.added:
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_CHANGED,
            target=activity.survey,
            detail={"activity": activity.title, "responses_named": len(named.added)},
        )
    return named


@transaction.atomic
def attribution_remove(*, activity: Activity, reference: str, actor: Actor) -> None:
    """Un-name a keyed-in response named under `activity` by mistake (one that came by its tracked link stays)."""
    reference = reference.strip().upper()
    removed, _ = Attribution.objects.filter(
        activity=activity, how=Attribution.How.NAMED, response__reference=reference
    ).delete()
    if not removed:
        raise PlanError(f"{reference or 'That response'} is not named under this activity")
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CHANGED,
        target=activity.survey,
        detail={"activity": activity.title, "response_unnamed": reference},
    )


@dataclass(frozen=True)
class ActivityDeletion:
    """What deleting an activity takes with it, for its confirmation page."""

    named: int  # keyed-in responses named under it: they lose the attribution
    by_link: int  # responses sent through its tracked link: likewise
    attendee_profiles: int  # attendees' own About you answers: deleted with it


def activity_deletion(activity: Activity) -> ActivityDeletion:
    attributions = Attribution.objects.filter(activity=activity)
    return ActivityDeletion(
        named=attributions.filter(how=Attribution.How.NAMED).count(),
        by_link=attributions.filter(how=Attribution.How.LINK).count(),
        attendee_profiles=AttendeeProfile.objects.filter(activity=activity).count(),
    )


@transaction.atomic
def activity_delete(*, activity: Activity, actor: Actor) -> ActivityDeletion:
    """Delete an activity: the responses attributed to it are kept, attributed to no activity; its
    attendees' own profiles go with it (the counts typed or uploaded for them stay, as a group dataset)."""
    deletion = activity_deletion(activity)
    title, survey = activity.title, activity.survey
    activity.delete()
    audit_record(
        actor=actor,
        action=AuditAction.PLAN_CHANGED,
        target=survey,
        detail={
            "activity": title,
            "deleted": True,
            "responses_unattributed": deletion.named + deletion.by_link,
            "attendee_profiles_deleted": deletion.attendee_profiles,
        },
    )
    return deletion


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
    if previous is not None and "replaces" in detail and not Activity.objects.filter(attendees=previous).exists():
        dataset_delete(dataset=previous, actor=actor)
    return activity


@transaction.atomic
def partner_save(*, partner: Partner, areas: list[ResidenceArea], actor: Actor) -> Partner:
    partner.save()
    partner.areas.set(areas)
    audit_record(actor=actor, action=AuditAction.PARTNER_CHANGED, target=partner)
    return partner


@transaction.atomic
def partner_delete(*, partner: Partner, actor: Actor) -> int:
    """Delete a partner from the directory. The activities done with it keep its name (marked as no longer
    in the directory), so a plan's history still says who an event was run with; how many there were."""
    activities = Activity.objects.filter(partner=partner)
    kept = activities.update(partner_name=partner.name)
    audit_record(
        actor=actor, action=AuditAction.PARTNER_CHANGED, target=partner, detail={"deleted": True, "activities": kept}
    )
    partner.delete()
    return kept
