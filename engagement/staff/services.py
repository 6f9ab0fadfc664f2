"""Staff and teams: adding staff, setting their team, role and the equality-data permission,
deactivating them. Every change is recorded in the audit log, with what it was before."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from access.models import Membership, Team
from access.roles import EQUALITY_PERMISSION_CODENAME, Role
from audit.models import AuditAction
from audit.services import Actor, audit_record


class StaffError(ValueError):
    """A change that would leave staff or the service in a bad state; the message says why."""


@dataclass(frozen=True)
class StaffSettings:
    team: Team | None
    role: str
    equality_data: bool
    is_active: bool = True


def staff_settings_of(user: Any) -> StaffSettings:
    membership = Membership.objects.filter(user=user).select_related("team").first()
    group = user.groups.filter(name__in=Role.values).first()
    return StaffSettings(
        team=membership.team if membership else None,
        role=group.name if group else "",
        equality_data=user.user_permissions.filter(codename=EQUALITY_PERMISSION_CODENAME).exists(),
        is_active=user.is_active,
    )


def _describe(settings: StaffSettings) -> dict[str, Any]:
    return {
        "team": settings.team.name if settings.team else "",
        "role": settings.role,
        "equality_data": settings.equality_data,
        "active": settings.is_active,
    }


def _check(settings: StaffSettings) -> None:
    if settings.role not in Role.values:
        raise StaffError("Choose a role.")
    if settings.team is None and settings.role != Role.ADMINISTRATOR:
        raise StaffError("Choose a team: everyone but administrators works in one.")


def _apply(user: Any, settings: StaffSettings) -> None:
    user.groups.remove(*Group.objects.filter(name__in=Role.values))
    user.groups.add(Group.objects.get(name=settings.role))
    if settings.team is None:
        Membership.objects.filter(user=user).delete()
    else:
        Membership.objects.update_or_create(user=user, defaults={"team": settings.team})
    equality = Permission.objects.get(content_type__app_label="surveys", codename=EQUALITY_PERMISSION_CODENAME)
    if settings.equality_data:
        user.user_permissions.add(equality)
    else:
        user.user_permissions.remove(equality)
    # Django caches permissions and the membership on the object: read them afresh next time.
    for cached in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)
    user._state.fields_cache.pop("membership", None)


@transaction.atomic
def staff_create(
    *,
    username: str,
    email: str,
    settings: StaffSettings,
    actor: Actor,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> Any:
    """A new member of staff. Without a password they cannot sign in until they set one (password reset)."""
    _check(settings)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise StaffError(f"There is already a member of staff with the username {username}.")
    user = User.objects.create_user(
        username=username, email=email, password=password, first_name=first_name, last_name=last_name, is_staff=True
    )
    user.is_active = settings.is_active
    user.save(update_fields=["is_active"])
    _apply(user, settings)
    audit_record(actor=actor, action=AuditAction.STAFF_ADDED, target=user, detail=_describe(settings))
    return user


@transaction.atomic
def staff_update(*, user: Any, settings: StaffSettings, actor: Actor) -> Any:
    """Change a member of staff's team, role, equality-data permission or whether they can sign in."""
    _check(settings)
    if actor.user is not None and actor.user.pk == user.pk:
        if not settings.is_active:
            raise StaffError("You cannot deactivate yourself: ask another administrator.")
        if settings.role != Role.ADMINISTRATOR and staff_settings_of(user).role == Role.ADMINISTRATOR:
            raise StaffError("You cannot take away your own administrator role: ask another administrator.")
    before = staff_settings_of(user)
    if before == settings:
        return user
    _apply(user, settings)
    if user.is_active != settings.is_active:
        user.is_active = settings.is_active
        user.save(update_fields=["is_active"])
    old, new = _describe(before), _describe(settings)
    changed = {key: f"{old[key]} -> {new[key]}" for key in new if old[key] != new[key]}
    audit_record(actor=actor, action=AuditAction.STAFF_CHANGED, target=user, detail=changed)
    return user


@transaction.atomic
def team_create(*, name: str, actor: Actor) -> Team:
    name = name.strip()
    if Team.objects.filter(name__iexact=name).exists():
        raise StaffError(f"There is already a team called {name}.")
    team = Team.objects.create(name=name)
    audit_record(actor=actor, action=AuditAction.TEAM_ADDED, target=team)
    return team


@transaction.atomic
def team_rename(*, team: Team, name: str, actor: Actor) -> Team:
    name = name.strip()
    if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise StaffError(f"There is already a team called {name}.")
    old = team.name
    if old != name:
        team.name = name
        team.save(update_fields=["name"])
        audit_record(actor=actor, action=AuditAction.TEAM_CHANGED, target=team, detail={"name": f"{old} -> {name}"})
    return team
