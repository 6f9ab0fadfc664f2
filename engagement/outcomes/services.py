"""Publishing "We asked, you said, we did", and emailing the residents who asked to hear it, once."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.hub.selectors import HubStatus, status_of
from engagement.models import Outcome, OutcomeSubscriber
from surveys.models import Survey


class OutcomeRefused(ValueError):
    pass


@dataclass(frozen=True)
class OutcomeText:
    we_asked: str
    you_said: str
    we_did: str
    decided_on: dt.date


@dataclass(frozen=True)
class PublishResult:
    outcome: Outcome
    emailed: int


def outcome_subscribe(*, survey: Survey, email: str) -> None:
    """Keep an address to tell when the outcome is published: apart from any response, once per address."""
    if Outcome.objects.filter(survey=survey, published_at__isnull=False).exists():
        raise OutcomeRefused("The outcome has already been published.")
    OutcomeSubscriber.objects.get_or_create(survey=survey, email=email.strip().lower())


def outcome_emails_waiting(*, survey: Survey) -> int:
    """How many residents publishing would email now: none once the outcome has been published."""
    if Outcome.objects.filter(survey=survey, published_at__isnull=False).exists():
        return 0
    return OutcomeSubscriber.objects.filter(survey=survey).count()


def outcome_publish(
    *, survey: Survey, text: OutcomeText, actor: Actor, outcome_url: str, now: dt.datetime | None = None
) -> PublishResult:
    """Publish (or correct) the outcome of a closed consultation. The first publication emails every
    resident who asked, then deletes their addresses; a correction emails nobody."""
    now = now or timezone.now()
    if status_of(survey, now=now) != HubStatus.CLOSED:
        raise OutcomeRefused("The outcome can be published once the consultation has closed.")
    if text.decided_on > timezone.localdate(now):
        raise OutcomeRefused("The date of the decision must be today or in the past.")
    with transaction.atomic():
        outcome, _ = Outcome.objects.select_for_update().get_or_create(
            survey=survey,
            defaults={
                "we_asked": text.we_asked,
                "you_said": text.you_said,
                "we_did": text.we_did,
                "decided_on": text.decided_on,
            },
        )
        first = outcome.published_at is None
        outcome.we_asked, outcome.you_said, outcome.we_did = text.we_asked, text.you_said, text.we_did
        outcome.decided_on = text.decided_on
        if first:
            outcome.published_at, outcome.published_by = now, actor.user
        outcome.save()
        audit_record(actor=actor, action=AuditAction.OUTCOME_PUBLISHED, target=survey, detail={"correction": not first})
    emailed = outcome_subscribers_notify(survey=survey, outcome_url=outcome_url) if first else 0
    return PublishResult(outcome=outcome, emailed=emailed)


def outcome_subscribers_notify(*, survey: Survey, outcome_url: str) -> int:
    """Email each address kept for this consultation once, deleting it as it is sent. A failed send
    keeps that address (and the ones after it) for another try; none is ever sent twice."""
    sent = 0
    subject = f"What we decided: {survey.title}"
    body = (
        f"You asked us to tell you the outcome of our consultation “{survey.title}”.\n\n"
        f"We have published what we asked, what people said and what we decided:\n{outcome_url}\n\n"
        "We have now deleted your email address. You do not need to reply to this email."
    )
    while True:
        with transaction.atomic():
            subscriber = (
                OutcomeSubscriber.objects.select_for_update(skip_locked=True)
                .filter(survey=survey)
                .order_by("pk")
                .first()
            )
            if subscriber is None:
                return sent
            send_mail(subject, body, None, [subscriber.email])
            subscriber.delete()
            sent += 1


def outcome_subscribers_expired_delete(*, now: dt.datetime | None = None, retention_days: int | None = None) -> int:
    """Delete the addresses still held `OUTCOME_EMAIL_RETENTION_DAYS` after their consultation closed:
    its outcome was never published (or its email could not be sent). Consultations without a closing
    date have not closed. Returns how many were deleted."""
    now = now or timezone.now()
    days = settings.OUTCOME_EMAIL_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = now - dt.timedelta(days=days)
    deleted, _ = OutcomeSubscriber.objects.filter(
        survey__closes_at__isnull=False, survey__closes_at__lte=cutoff
    ).delete()
    return deleted
