"""Requests for another format (paper, large print, Easy Read, another language, BSL, help by phone):
made by residents, worked through by officers, and their contact details deleted at closing."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.models import FormatRequest
from surveys.models import Survey

CONTACT_FIELDS = ("name", "email", "phone", "address", "details", "language")


def format_request_create(
    *,
    survey: Survey,
    formats: Sequence[str],
    language: str = "",
    name: str,
    email: str = "",
    phone: str = "",
    address: str = "",
    details: str = "",
) -> FormatRequest:
    valid = {value for value, _ in FormatRequest.Format.choices}
    unknown = [f for f in formats if f not in valid]
    if not formats or unknown:
        raise ValueError(f"Unknown formats: {unknown}")
    return FormatRequest.objects.create(
        survey=survey,
        formats=list(formats),
        language=language,
        name=name,
        email=email,
        phone=phone,
        address=address,
        details=details,
    )


def format_requests_for(*, survey: Survey) -> QuerySet[FormatRequest]:
    """Waiting requests first (oldest first), then those done (latest first)."""
    return FormatRequest.objects.filter(survey=survey).order_by(F("done_at").desc(nulls_first=True), "requested_at")


def format_requests_waiting(*, survey: Survey) -> int:
    """Requests not yet done whose contact details are still held: closing would delete them."""
    return FormatRequest.objects.filter(survey=survey, done_at__isnull=True, contact_deleted_at__isnull=True).count()


@transaction.atomic
def format_request_done(*, request: FormatRequest, actor: Actor) -> FormatRequest:
    """Mark a request as done (once: doing it again changes nothing)."""
    locked = FormatRequest.objects.select_for_update().get(pk=request.pk)
    if locked.done_at is None:
        locked.done_at = timezone.now()
        locked.done_by = actor.user
        locked.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=actor, action=AuditAction.FORMAT_REQUEST_DONE, target=locked.survey, detail={"request": locked.pk}
        )
    return locked


def _closed(now: dt.datetime) -> Q:
    return Q(survey__status=Survey.Status.CLOSED) | Q(survey__closes_at__lte=now)


@transaction.atomic
def format_contacts_delete(*, now: dt.datetime | None = None, survey: Survey | None = None) -> int:
    """Delete the contact details of every request for a consultation that has closed (or, given
    `survey`, for that one, closed or not). Returns how many requests lost their details; the request
    itself (which formats, when, whether done) stays for the record."""
    now = now or timezone.now()
    requests = FormatRequest.objects.filter(contact_deleted_at__isnull=True)
    requests = requests.filter(survey=survey) if survey is not None else requests.filter(_closed(now))
    return requests.update(**{name: "" for name in CONTACT_FIELDS}, contact_deleted_at=now)
