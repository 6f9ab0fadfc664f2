"""Every page, discovered from the URL configuration, so that a page added tomorrow is checked too.

`public_urls` gives each public address (the resident journey, statements, sign-in and password pages),
its arguments filled from the demo consultation; `officer_urls` each GET page under /officers/, its
arguments from a world like tests/browser/test_officer_accessibility.py's. An address whose arguments
cannot be filled is named in `unfilled`, so a test can say which it could not reach.
"""

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access.table import GUARDED_PREFIXES, guarded_routes

# Arguments no page can be reached with from a fresh world: links sent by email.
_SENT_BY_EMAIL = {"uidb64", "token"}


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, tuple(pattern.pattern.regex.groupindex)


def public_urls(survey: Any, steps: list[str]) -> tuple[list[str], list[str]]:
    """(addresses to visit, routes left out because their arguments cannot be filled)."""
    urls, unfilled = [], []
    for route, name, arguments in _walk(get_resolver().url_patterns):
        if route.startswith(GUARDED_PREFIXES) or route.endswith((".css", ".csv", ".json", ".pdf", ".xlsx")):
            continue
        if route.startswith("api/") and route != "api/docs/":  # the API answers JSON and YAML, not pages
            continue
        if set(arguments) & _SENT_BY_EMAIL:
            unfilled.append(route)
            continue
        if "step" in arguments:
            urls += [reverse(name, kwargs={"slug": survey.slug, "step": step}) for step in steps]
            continue
        values = {"slug": survey.slug}
        if not set(arguments) <= set(values):
            unfilled.append(route)
            continue
        urls.append(reverse(name, kwargs={a: values[a] for a in arguments}))
    return urls, unfilled


def officer_urls(world: dict[str, Any]) -> list[str]:
    """Each GET page under /officers/ (downloads and the admin left out)."""
    urls = []
    for route in guarded_routes():
        rule = route.rule
        is_file = "." in route.route.rstrip("/").rsplit("/", 1)[-1]
        if route.is_admin or rule is None or "GET" not in rule.methods or is_file:
            continue
        urls.append(reverse(route.name, kwargs={a: world[a] for a in route.arguments}))
    return urls
