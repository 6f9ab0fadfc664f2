"""Submitting a response through the API, once per Idempotency-Key.

The key becomes the response's submission key (scoped by who sends it), so the journey's own
guarantee applies: `response_submit` stores a submission key once, and a second request with it (a
retry, or the same request twice at the same moment) gets the first response back. A fingerprint of
the request body is kept as the response's `journey_copy`: the same key with a different body is
refused instead of being answered with a response it did not send.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from surveys.api.answers import answers_validate
from surveys.models import Response, Survey
from surveys.selectors import survey_structure_get
from surveys.services import SurveyClosedError, journey_may_continue, reference_generate, response_submit

IDEMPOTENCY_KEY_MAX_LENGTH = 200


class IdempotencyKeyReused(Exception):
    """The key was already used for a different submission."""


class AnswersInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("answers")
        self.errors = errors


@dataclass(frozen=True)
class ApiSubmission:
    response: Response
    created: bool


def submission_key_for(*, idempotency_key: str, sender: str) -> str:
    """The response's submission key: the client's key, scoped to who sent it (a user, or anyone signed out)."""
    digest = hashlib.sha256(f"{sender}\n{idempotency_key}".encode()).hexdigest()
    return f"api-{digest[:60]}"


def body_fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:32]


def api_submission_refuse_if_closed(*, survey: Survey, idempotency_key: str, sender: str) -> None:
    """A survey that no longer accepts responses says so (SurveyClosedError) before anything sent is read,
    as the web journey does; a retry of a submission stored before it closed still gets its response."""
    key = submission_key_for(idempotency_key=idempotency_key, sender=sender)
    if journey_may_continue(survey=survey, started_at=None):
        return
    if not Response.objects.filter(survey=survey, submission_key=key).exists():
        raise SurveyClosedError(survey.title)


def api_response_submit(
    *,
    survey: Survey,
    idempotency_key: str,
    sender: str,
    body: dict[str, Any],
    answers: dict[str, Any],
    channel: str,
    equality_skipped: bool,
) -> ApiSubmission:
    """Validate the answers as the web journey does and store them once for this key.

    Raises AnswersInvalid (nothing stored), IdempotencyKeyReused, or SurveyClosedError."""
    key = submission_key_for(idempotency_key=idempotency_key, sender=sender)
    fingerprint = body_fingerprint(body)
    earlier = Response.objects.filter(survey=survey, submission_key=key).first()
    if earlier is None:
        structure = survey_structure_get(survey=survey)
        validated = answers_validate(
            structure=structure, sent=answers, equality_skipped=equality_skipped, today=timezone.localdate()
        )
        if validated.errors:
            raise AnswersInvalid(validated.errors)
        result = response_submit(
            survey=survey,
            submission_key=key,
            reference=reference_generate(),
            answers=validated.answers,
            equality_skipped=equality_skipped,
            channel=channel,
            structure=structure,
            journey_copy=fingerprint,
        )
        earlier, created = result.response, result.created
    else:
        created = False
    if earlier.journey_copy != fingerprint:
        raise IdempotencyKeyReused()
    return ApiSubmission(response=earlier, created=created)
