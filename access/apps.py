from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Teams and roles"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self)


def _sync_roles(sender: AppConfig, apps: Any = global_apps, **kwargs: Any) -> None:
    from access.roles import roles_sync

    roles_sync(apps)


class ChorusAdminConfig(admin_apps.AdminConfig):
    """The Django admin, open only to those the access policy lets in (administrators)."""

    default = False
    default_site = "access.admin_site.ChorusAdminSite"
