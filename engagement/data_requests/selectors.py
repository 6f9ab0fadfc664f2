"""A resident's right of access: everything Chorus holds about one response, found by its reference.
Callers must have asked the access policy (Action.DATA_REQUEST)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEntry
from engagement.responses.selectors import equality_profile_rows, response_answers, response_equality_profile
from surveys.models import Answer, Response, SavedJourney


def response_by_reference(*, reference: str) -> Response | None:
    """The response with this reference, however the resident wrote it: spaces, lower case, and with its
    hyphen left out, or another mark in its place ("hx4k9pqr", "HX4K 9PQR", "HX4K.9PQR")."""
    cleaned = "".join(ch for ch in reference.upper() if ch.isalnum())
    if not cleaned:
        return None
    written = [cleaned, f"{cleaned[:4]}-{cleaned[4:]}"] if len(cleaned) == 8 else [cleaned]  # as K7PX-3QMA
    return Response.objects.select_related("survey").filter(reference__in=written).first()


@dataclass(frozen=True)
class HeldData:
    response: Response
    answers: QuerySet[Answer]
    equality_rows: list[tuple[str, str]]  # empty when no About you answers are held
    equality_held: bool
    saved_journeys: list[SavedJourney]
    audit_entries: QuerySet[AuditEntry]

    @property
    def summary(self) -> dict[str, Any]:
        """How much of each is held, for the audit log (counts only, never the answers)."""
        return {
            "answers": self.answers.count(),
            "about_you": self.equality_held,
            "saved_journeys": len(self.saved_journeys),
        }


def response_held_data(*, response: Response) -> HeldData:
    """Everything held about the response: its details, consultation answers, About you answers, any saved
    copy of the journey with the same reference, and the audit log's record of who has seen or changed it."""
    profile = response_equality_profile(response=response)
    return HeldData(
        response=response,
        answers=response_answers(response=response),
        equality_rows=equality_profile_rows(profile=profile) if profile else [],
        equality_held=profile is not None,
        saved_journeys=list(SavedJourney.objects.filter(survey=response.survey, reference=response.reference)),
        audit_entries=AuditEntry.objects.filter(object_type="response", object_id=str(response.pk)),
    )
