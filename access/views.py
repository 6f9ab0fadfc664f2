"""How officer views declare who may use them: one decorator, asking the access policy.

    @staff_view(Action.REPORT_VIEW, target=SURVEY)
    def report_page(request, survey): ...

- Anyone signed out is sent to sign in; anyone whose role or team does not allow the action gets
  a 403 page saying why; a method the view does not take gets 405.
- `target` names the URL argument that identifies the object the page is about and how to load it
  (404 when there is none); the view receives the loaded object instead of the identifier, so it
  never loads it again without the check. Objects inside it (a page of a survey) are loaded by the
  view from the target (`survey.pages.get(pk=...)`), so an identifier from another survey is a 404.
- The decorator records its rule on the view (`view.access_rule`): the role-by-URL test reads it for
  every URL under /officers/ and fails on a view that has none.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from access.policy import Action, TeamOwned, require


@dataclass(frozen=True)
class UrlTarget:
    """The object a URL names: the URL argument with its identifier, the view argument that receives
    the object, and how to load it (raising Http404 when there is none)."""

    url_argument: str
    view_argument: str
    load: Callable[[Any], TeamOwned]


@dataclass(frozen=True)
class AccessRule:
    action: Action
    target: UrlTarget | None
    methods: tuple[str, ...]


def staff_view(
    action: Action, *, target: UrlTarget | None = None, methods: Sequence[str] = ("GET",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    rule = AccessRule(action=action, target=target, methods=tuple(m.upper() for m in methods))

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, action)
            if request.method not in rule.methods and not (request.method == "HEAD" and "GET" in rule.methods):
                return HttpResponseNotAllowed(rule.methods)
            if target is not None:
                obj = target.load(kwargs.pop(target.url_argument))
                require(request.user, action, obj)
                kwargs[target.view_argument] = obj
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorate
