"""Reads for the staff pages."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet

from access.models import Team
from access.roles import EQUALITY_PERMISSION_CODENAME, Role


@dataclass(frozen=True)
class StaffRow:
    user: Any
    role: str
    team: str
    equality_data: bool


def staff_list() -> list[StaffRow]:
    users = (
        get_user_model()
        .objects.filter(is_staff=True)
        .select_related("membership__team")
        .prefetch_related("groups", "user_permissions")
        .order_by("-is_active", "username")
    )
    rows = []
    for user in users:
        roles = [g.name for g in user.groups.all() if g.name in Role.values]
        membership = getattr(user, "membership", None)
        rows.append(
            StaffRow(
                user=user,
                role=roles[0] if roles else "No role",
                team=membership.team.name if membership else "",
                equality_data=any(p.codename == EQUALITY_PERMISSION_CODENAME for p in user.user_permissions.all()),
            )
        )
    return rows


def team_list() -> QuerySet[Team]:
    return Team.objects.annotate(
        members=Count("memberships", distinct=True), survey_count=Count("surveys", distinct=True)
    )
