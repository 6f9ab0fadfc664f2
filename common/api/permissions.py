"""The API's one permission class: it asks the access policy (access/policy.py), as every page does.

A view names the Action each of its methods (or viewset actions) needs, in `policy`; a view that
names none for a method refuses it, so a new endpoint is closed until someone decides who may use it.
`PUBLIC` marks what anyone may do (reading open surveys, submitting a response).

    class SurveyViewSet(...):
        policy = {"list": Action.SURVEY_VIEW, "create": Action.SURVEY_CREATE, "partial_update": Action.SURVEY_EDIT}

Object checks (the team) use the same Action on the object, through `allowed(user, action, obj)`,
and refuse with the policy's own reason ("This belongs to another team...").
"""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from access.policy import Action, allowed, require

PUBLIC = "public"


def action_for(view: Any, request: Request) -> Action | str | None:
    policy: dict[str, Action | str] = getattr(view, "policy", {})
    name = getattr(view, "action", None) or request.method.lower()
    if request.method == "HEAD":
        name = getattr(view, "action", None) or "get"
    return policy.get(name)


class PolicyPermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "OPTIONS":
            return True
        action = action_for(view, request)
        if action == PUBLIC:
            return True
        if action is None:
            self.message = "This method is not available here."
            return False
        if not request.user.is_authenticated:
            return False  # 401 (or 403 for session users), before anything is said about roles
        require(request.user, Action(action))  # PermissionDenied with the policy's reason -> 403
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        action = action_for(view, request)
        if action == PUBLIC:
            return True
        if action is None:
            return False
        require(request.user, Action(action), obj)
        return allowed(request.user, Action(action), obj)
