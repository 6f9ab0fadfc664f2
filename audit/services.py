"""Recording audit entries.

    from audit.services import Actor, audit_record
    from audit.models import AuditAction

    audit_record(actor=Actor.from_request(request), action=AuditAction.SURVEY_PUBLISHED, target=survey)
    audit_record(actor=Actor.command(), action=AuditAction.CENSUS_IMPORTED, detail={"table": "TS021"})

`target` is the object acted on (its type, id and name are copied, so the entry outlives it).
`detail` is for facts about the action: a file name, a format, a role before and after, a question's
old and new wording. Never put equality answers, free-text answers, passwords or tokens in it.
Record inside the transaction that makes the change, so an entry exists exactly when the change does.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest

from audit.models import AuditAction, AuditEntry, Via

_DETAIL_VALUE_TYPES = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Actor:
    """Who is acting, and from where."""

    user: Any  # a User, or None for the system
    via: str = Via.WEB
    ip_address: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest, *, via: str = Via.WEB) -> "Actor":
        user = request.user if request.user.is_authenticated else None
        # REMOTE_ADDR: the address that connected. Behind a proxy, the proxy sets it (see docs/deploy).
        return cls(user=user, via=via, ip_address=request.META.get("REMOTE_ADDR") or None)

    @classmethod
    def command(cls, user: Any = None) -> "Actor":
        return cls(user=user, via=Via.COMMAND)


def _check_detail(detail: dict[str, Any]) -> dict[str, Any]:
    for key, value in detail.items():
        values = value if isinstance(value, list | tuple) else [value]
        if not isinstance(key, str) or not all(isinstance(v, _DETAIL_VALUE_TYPES) for v in values):
            raise TypeError(f"Audit detail {key!r} must be text, numbers or lists of them.")
    return dict(detail)


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log."""
    user = actor.user
    return AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        object_type=target._meta.model_name or "" if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:300] if target is not None else "",
        via=actor.via,
        ip_address=actor.ip_address,
        detail=_check_detail(detail or {}),
    )
