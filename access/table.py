"""The access table: every officer and admin URL, with the rule that guards it.

Read from the URL configuration, so it is never out of date: `manage.py access_table` prints it, and
tests/access/test_access_table.py requests every URL in it as every role.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from access.policy import NEEDS, Action
from access.roles import EQUALITY_PERMISSION, ROLE_PERMISSIONS, Role
from access.views import AccessRule

# The URL prefixes every route under which must declare who may use it.
GUARDED_PREFIXES = ("officers/", "admin/")
# Admin pages anyone may open: they only offer to sign in or out.
ADMIN_PUBLIC = {"admin:login", "admin:logout"}


@dataclass(frozen=True)
class Route:
    route: str  # as in the URL configuration, e.g. "officers/surveys/<uuid:survey_id>/"
    name: str  # namespaced, e.g. "engagement:survey"
    callback: Any
    arguments: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def rule(self) -> AccessRule | None:
        return getattr(self.callback, "access_rule", None)


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", arguments: tuple[str, ...] = ()
) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            outer = arguments + tuple(pattern.pattern.regex.groupindex)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace, outer)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or ""
            yield Route(
                route=prefix + str(pattern.pattern),
                name=name,
                callback=pattern.callback,
                arguments=arguments + tuple(pattern.pattern.regex.groupindex),
            )


def guarded_routes() -> list[Route]:
    """Every route under /officers/ and /admin/."""
    return [r for r in _walk(get_resolver().url_patterns) if r.route.startswith(GUARDED_PREFIXES)]


def roles_allowed(action: Action) -> list[str]:
    """Who may take an action: the roles holding its permission, or the separate equality-data grant."""
    needed = NEEDS[action]
    if needed == EQUALITY_PERMISSION:
        return ["anyone with the equality-data permission"]
    return [role for role in Role.values if needed in ROLE_PERMISSIONS[role]]
