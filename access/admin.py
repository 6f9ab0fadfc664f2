"""Teams and staff in the Django admin (administrators only). Roles, teams and the equality-data
permission are changed at /officers/staff/, where every change is recorded in the audit log, so here
they are read-only."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from access.models import Membership, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    readonly_fields = ["team"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    readonly_fields = ["groups", "user_permissions", "is_superuser", "last_login", "date_joined"]


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    readonly_fields = ["name", "permissions"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
