"""The four roles, as Django groups, and the permissions each one holds.

A member of staff has one role (one of these groups) and, apart from administrators, one team
(access.models.Membership). The equality-data permission (`surveys.view_equality_data`) is in no
role: it is granted to a person, on top of their role, by an administrator.

The groups are created by a data migration (access/migrations/0002_roles.py) and kept in line with
this module after every `migrate` (and every test database flush) by a post_migrate handler
(access/apps.py), so a change here reaches every database the next time it is migrated.
"""

from collections.abc import Iterable

from django.db import models


class Role(models.TextChoices):
    """Value: the Django group's name. Label: what an officer reads."""

    ADMINISTRATOR = "Administrator", "Administrator"
    ENGAGEMENT_OFFICER = "Engagement officer", "Engagement officer"
    ANALYST = "Analyst", "Analyst"
    VIEWER = "Viewer", "Viewer"


ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.ADMINISTRATOR: "Everything, for every team: manages staff and teams, reads the audit log, uses the admin.",
    Role.ENGAGEMENT_OFFICER: "Builds and runs their team's consultations: surveys, responses, reports, baselines.",
    Role.ANALYST: "Reads their team's consultations, responses and reports, and downloads them.",
    Role.VIEWER: "Reads their team's consultations and reports on screen; no responses, no downloads.",
}

# Whoever holds it: see individual "About you" answers and counts below the suppression threshold.
EQUALITY_PERMISSION_CODENAME = "view_equality_data"
EQUALITY_PERMISSION = f"surveys.{EQUALITY_PERMISSION_CODENAME}"

_SURVEY_STRUCTURE = ("survey", "page", "question", "choice", "gridrow")
_CENSUS = ("area", "baseline", "baselinecount")


def _perms(app: str, actions: Iterable[str], models_: Iterable[str]) -> list[str]:
    return [f"{app}.{action}_{model}" for model in models_ for action in actions]


_READ_SURVEYS = [*_perms("surveys", ["view"], _SURVEY_STRUCTURE), "surveys.view_residencearea"]
_READ_CENSUS = _perms("representativeness", ["view"], _CENSUS)
_READ_RESPONSES = ["surveys.view_response", "surveys.view_answer", "surveys.download_survey_data"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.VIEWER: [*_READ_SURVEYS, *_READ_CENSUS],
    Role.ANALYST: [*_READ_SURVEYS, *_READ_CENSUS, *_READ_RESPONSES],
    Role.ENGAGEMENT_OFFICER: [
        *_perms("surveys", ["add", "change", "delete", "view"], _SURVEY_STRUCTURE),
        "surveys.view_residencearea",
        *_READ_RESPONSES,
        "surveys.delete_response",
        "surveys.add_response",
        *_perms("engagement", ["view", "change"], ["formatrequest"]),
        *_READ_CENSUS,
        *_perms("representativeness", ["add", "change"], ["baseline", "area"]),
    ],
    Role.ADMINISTRATOR: [
        *_perms("surveys", ["add", "change", "delete", "view"], _SURVEY_STRUCTURE),
        *_perms("surveys", ["add", "change", "delete", "view"], ["residencearea"]),
        *_perms("surveys", ["view", "delete"], ["response", "answer", "savedjourney"]),
        "surveys.download_survey_data",
        "surveys.add_response",
        *_perms("engagement", ["view", "change"], ["formatrequest"]),
        *_perms("representativeness", ["add", "change", "delete", "view"], _CENSUS),
        *_perms("access", ["add", "change", "delete", "view"], ["team", "membership"]),
        "access.work_on_every_team",
        "access.manage_staff",
        "access.use_admin_site",
        "access.answer_data_requests",
        "audit.view_auditentry",
        *_perms("auth", ["add", "change", "view"], ["user"]),
        "auth.view_group",
        # Sign-in lock-outs (django-axes): see them, and lift one by deleting it.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ],
}
assert all(EQUALITY_PERMISSION not in perms for perms in ROLE_PERMISSIONS.values()), "a separate grant, never a role"


def roles_sync(apps) -> None:  # type: ignore[no-untyped-def]
    """Create the role groups and give each exactly the permissions above (used by data migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrating; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # a migration's app states have none
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            # An app migrated later than this migration has no permissions yet; the post_migrate run adds them.
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
