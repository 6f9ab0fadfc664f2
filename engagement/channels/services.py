"""Keying in a response that came on paper, by phone, at an event or through a partner organisation."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.models import Event, ResponseSource
from plans.models import Activity
from plans.services import attribution_name
from surveys.models import Channel, Response, Survey
from surveys.selectors import SurveyStructure
from surveys.services import reference_generate, response_submit

KEYED_CHANNELS = (Channel.PAPER, Channel.PHONE, Channel.EVENT, Channel.PARTNER, Channel.EMAIL)


class PaperReferenceTaken(ValueError):
    """A paper form with this reference has already been keyed in."""

    def __init__(self, paper_reference: str, response_reference: str) -> None:
        self.paper_reference = paper_reference
        self.response_reference = response_reference
        super().__init__(
            f"Paper form {paper_reference} has already been entered, as response {response_reference}. "
            "Check the number on the form"
        )


@dataclass(frozen=True)
class KeyedSource:
    channel: str
    event: Event | None = None
    partner: str = ""
    paper_reference: str = ""
    # The day the form arrived (or the call was taken): the response's submission date. None: today.
    received_on: dt.date | None = None
    # The engagement plan's activity it came through (plans.Attribution, named as the activity's page does).
    activity: Activity | None = None


class ReceivedDateRefused(ValueError):
    """A received date in the future, or before the consultation opened."""


def received_on_problem(*, survey: Survey, received_on: dt.date, today: dt.date) -> str | None:
    """Why a keyed-in response cannot have been received on this day, or None if it can."""
    if received_on > today:
        return "Date received must be today or in the past"
    opened = timezone.localdate(survey.opens_at) if survey.opens_at else None
    if opened is not None and received_on < opened:
        return f"Date received must be on or after {opened.day} {opened:%B %Y}, when the consultation opened"
    return None


def received_at(received_on: dt.date | None, *, now: dt.datetime) -> dt.datetime:
    """The submission time of a response received on that day: now if it is today, otherwise midday
    local time, which is the same day in UTC too (so exports in UTC and reports by local day agree)."""
    if received_on is None or received_on == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(received_on, dt.time(12)))


def paper_reference_normalise(text: str) -> str:
    """ "p 0012 " and "P0012" are the same form."""
    return "".join(text.split()).upper()


def paper_reference_find(*, survey: Survey, paper_reference: str) -> ResponseSource | None:
    if not paper_reference:
        return None
    return (
        ResponseSource.objects.filter(survey=survey, paper_reference=paper_reference).select_related("response").first()
    )


def keyed_response_submit(
    *,
    survey: Survey,
    structure: SurveyStructure,
    source: KeyedSource,
    answers: Mapping[str, Any],
    equality_skipped: bool,
    submission_key: str,
    actor: Actor,
) -> Response:
    """Store a keyed-in response exactly once, with how it came in and who keyed it in, in one
    transaction; its submission date is the day it was received (ReceivedDateRefused for a day in the
    future or before the consultation opened). A paper form's reference may be entered once per survey
    (PaperReferenceTaken); the same page sent twice (a double click) stores one response."""
    if source.channel not in KEYED_CHANNELS:
        raise ValueError(f"Not a channel responses are keyed in from: {source.channel!r}")
    now = timezone.now()
    if source.received_on is not None:
        problem = received_on_problem(survey=survey, received_on=source.received_on, today=timezone.localdate(now))
        if problem:
            raise ReceivedDateRefused(problem)
    # Only a paper form has a number to check; one typed for another channel is not kept.
    paper_reference = paper_reference_normalise(source.paper_reference) if source.channel == Channel.PAPER else ""
    try:
        with transaction.atomic():
            taken = paper_reference_find(survey=survey, paper_reference=paper_reference)
            result = response_submit(
                survey=survey,
                submission_key=submission_key,
                reference=reference_generate(),
                answers=answers,
                equality_skipped=equality_skipped,
                channel=source.channel,
                structure=structure,
                keyed_in=True,
                now=received_at(source.received_on, now=now),
            )
            if not result.created:
                return result.response  # this very entry, sent again
            if taken is not None:
                raise PaperReferenceTaken(paper_reference, taken.response.reference)
            ResponseSource.objects.create(
                response=result.response,
                survey=survey,
                event=source.event if source.channel == Channel.EVENT else None,
                partner=source.partner if source.channel == Channel.PARTNER else "",
                paper_reference=paper_reference,
                keyed_by=actor.user,
            )
            audit_record(
                actor=actor,
                action=AuditAction.RESPONSE_KEYED_IN,
                target=result.response,
                detail={"channel": source.channel, "paper_reference": paper_reference},
            )
            if source.activity is not None:
                if source.activity.survey_id != survey.pk:
                    raise ValueError("The activity is another consultation's")
                attribution_name(activity=source.activity, references=[result.response.reference], actor=actor)
            return result.response
    except IntegrityError:
        # Another officer entered the same paper form at the same moment: theirs stands.
        taken = paper_reference_find(survey=survey, paper_reference=paper_reference)
        if taken is None:
            raise
        raise PaperReferenceTaken(paper_reference, taken.response.reference) from None
