"""Save and come back later: a journey saved part-way, behind a resume link that works once.

- A saved journey keeps little (the wizard passes it through surveys/forms/kept.py): each page's
  fields only, within their limits, and an age instead of a date of birth.
- Only a hash of the resume token is stored. Each save gives a new token, so the last link stops
  working, and resuming uses the link up: the answers move back into the resident's session and the
  saved journey is deleted. Saving again gives a new link.
- The link on its own does not bring back "About you" answers: the resident also enters the reference
  shown when they saved. After MAX_REFERENCE_ATTEMPTS wrong references those answers are deleted,
  and the rest of the journey can still be resumed.
- A link expires SAVED_JOURNEY_DAYS after the save, or when the survey closes if that is sooner, and
  the retention command (purge_equality_answers) deletes what has expired.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from surveys.models import Page, SavedJourney, Survey
from surveys.selectors import saved_journey_get, step_name

MAX_REFERENCE_ATTEMPTS = 5
TOKEN_MAX_LENGTH = 200


@dataclass(frozen=True)
class SavedJourneyResult:
    saved: SavedJourney
    token: str


class WrongReferenceError(Exception):
    """The reference entered is not the one shown when the journey was saved."""

    def __init__(self, *, attempts_left: int) -> None:
        super().__init__("The reference does not match")
        # 0 once the About you answers have been deleted.
        self.attempts_left = attempts_left


def token_hash(token: str) -> str:
    """Resume tokens are 256 random bits, so a plain SHA-256 is enough: no salt or stretching needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def saved_journey_expiry(*, survey: Survey, now: dt.datetime | None = None) -> dt.datetime:
    """A resume link lasts SAVED_JOURNEY_DAYS, or until the survey closes if that is sooner."""
    expiry = (now or timezone.now()) + dt.timedelta(days=settings.SAVED_JOURNEY_DAYS)
    return min(expiry, survey.closes_at) if survey.closes_at else expiry


def journey_save(
    *,
    survey: Survey,
    data: Mapping[str, Any],
    current_step: str,
    reference: str,
    saved_journey_id: int | None = None,
    now: dt.datetime | None = None,
) -> SavedJourneyResult:
    """Save a journey part-way and give the token of its (new) resume link.

    Saving the same journey again (`saved_journey_id`) replaces its answers and its token: the link
    given out before stops working."""
    token = secrets.token_urlsafe(32)
    fields = {
        "token_hash": token_hash(token),
        "data": dict(data),
        "current_step": current_step,
        "reference": reference,
        "expires_at": saved_journey_expiry(survey=survey, now=now),
        "reference_attempts": 0,
    }
    earlier = SavedJourney.objects.filter(pk=saved_journey_id, survey=survey) if saved_journey_id else None
    if earlier is not None and earlier.update(**fields):
        return SavedJourneyResult(saved=earlier.get(), token=token)
    return SavedJourneyResult(saved=SavedJourney.objects.create(survey=survey, **fields), token=token)


def saved_journey_find(*, survey: Survey, token: str, now: dt.datetime | None = None) -> SavedJourney | None:
    """The saved journey a resume link points to, or None for a wrong, expired or used link."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return saved_journey_get(survey=survey, token_hash=token_hash(token), now=now)


def about_you_steps(*, survey: Survey) -> set[str]:
    pages = Page.objects.filter(survey=survey).exclude(section=Page.Section.CONSULTATION).only("position")
    return {step_name(page) for page in pages}


def _about_you_answered(data: Mapping[str, Any], steps: set[str]) -> bool:
    step_data = data.get("step_data") or {}
    return any(
        any(str(value).strip() for values in (step_data.get(step) or {}).values() for value in values) for step in steps
    )


def saved_journey_has_about_you(*, saved: SavedJourney) -> bool:
    """Whether resuming needs the reference: the journey holds an About you answer."""
    return _about_you_answered(saved.data, about_you_steps(survey=saved.survey))


def _without_about_you(data: Mapping[str, Any], steps: set[str]) -> dict[str, Any]:
    step_data = {step: values for step, values in (data.get("step_data") or {}).items() if step not in steps}
    return {**data, "step_data": step_data}


def _reference_matches(entered: str, reference: str) -> bool:
    def canonical(text: str) -> str:
        return "".join(ch for ch in text.upper() if ch.isalnum())

    return secrets.compare_digest(canonical(entered), canonical(reference))


def journey_resume(*, saved: SavedJourney, reference: str | None) -> dict[str, Any] | None:
    """Use up a resume link and give back the journey to carry on with.

    With the reference shown at saving, everything comes back; without one (`None`: the resident
    chose to carry on without it), everything but the About you answers. Returns None if the link
    was used meanwhile (another device, a double click). Raises WrongReferenceError for a wrong
    reference; the MAX_REFERENCE_ATTEMPTS-th deletes the journey's About you answers.
    """
    steps = about_you_steps(survey=saved.survey)
    attempts_left: int | None = None
    with transaction.atomic():
        journey = SavedJourney.objects.select_for_update().filter(pk=saved.pk).first()
        if journey is None:
            return None
        data = journey.data
        if _about_you_answered(data, steps):
            if reference is None:
                data = _without_about_you(data, steps)
            elif not _reference_matches(reference, journey.reference):
                journey.reference_attempts += 1
                attempts_left = max(MAX_REFERENCE_ATTEMPTS - journey.reference_attempts, 0)
                if not attempts_left:
                    journey.data = _without_about_you(data, steps)
                journey.save(update_fields=["reference_attempts", "data"])
        if attempts_left is None:
            journey.delete()
    if attempts_left is not None:
        raise WrongReferenceError(attempts_left=attempts_left)
    return {**data, "current_step": journey.current_step}


def saved_journeys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete saved journeys whose resume link has expired or whose survey has closed; returns how many."""
    now = now or timezone.now()
    due = SavedJourney.objects.filter(
        Q(expires_at__lte=now) | Q(survey__closes_at__lte=now) | ~Q(survey__status=Survey.Status.OPEN)
    )
    deleted, _ = due.delete()
    return deleted
