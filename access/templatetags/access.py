"""Ask the access policy from a template, to show only the links and buttons a person may use:

    {% load access %}
    {% allowed "response.delete" response as can_delete %}{% if can_delete %}...{% endif %}

The view still decides: a hidden button is a courtesy, not a check.
"""

from typing import Any

from django import template

from access.policy import Action, TeamOwned
from access.policy import allowed as policy_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context: template.Context, action: str, target: TeamOwned | None = None) -> bool:
    request = context.get("request")
    user: Any = getattr(request, "user", None) or context.get("user")
    return policy_allowed(user, Action(action), target)
