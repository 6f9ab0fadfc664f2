"""python manage.py access_table: every officer and admin URL and who may use it, as a Markdown table."""

from typing import Any

from django.core.management.base import BaseCommand

from access.policy import Action
from access.table import ADMIN_PUBLIC, guarded_routes, roles_allowed


class Command(BaseCommand):
    help = "Print every URL under /officers/ and /admin/ with the roles that may use it."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("| URL | methods | action | who may use it | their team's only |")
        self.stdout.write("| --- | --- | --- | --- | --- |")
        admin_routes = 0
        for route in guarded_routes():
            if route.is_admin:
                admin_routes += 1
                continue
            rule = route.rule
            if rule is None:
                self.stdout.write(f"| /{route.route} | | **no rule** | | |")
                continue
            scoped = "yes" if rule.target else "no"
            who = ", ".join(roles_allowed(rule.action))
            methods = ", ".join(rule.methods)
            self.stdout.write(f"| /{route.route} | {methods} | {rule.action} | {who} | {scoped} |")
        admins = ", ".join(roles_allowed(Action.ADMIN_SITE))
        public = ", ".join(sorted(ADMIN_PUBLIC))
        self.stdout.write(f"| /admin/... ({admin_routes} URLs) | | {Action.ADMIN_SITE} | {admins} | no |")
        self.stdout.write(f"\nOpen to anyone: {public} (they only sign in and out).")
