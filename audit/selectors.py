"""Reads of the audit log, for administrators."""

import datetime as dt

from django.db.models import QuerySet

from audit.models import AuditEntry


def audit_entries(
    *,
    actor_name: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered by person (username), action and a date range (inclusive, local days)."""
    entries = AuditEntry.objects.all()
    if actor_name:
        entries = entries.filter(actor_name__iexact=actor_name.strip())
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries.order_by("-at", "-id")
