"""The Django admin site, for administrators only: the officer pages at /officers/ are the tool for everyone else."""

from django.contrib import admin
from django.http import HttpRequest

from access.policy import Action, allowed


class ChorusAdminSite(admin.AdminSite):
    site_header = "Chorus administration"
    site_title = "Chorus administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and allowed(request.user, Action.ADMIN_SITE))
