"""A resident's right of erasure: their response deleted with everything held about it, and recorded."""

from django.db import transaction

from audit.models import AuditAction
from audit.services import Actor, audit_record
from surveys.equality.kept_counts import kept_counts_forget
from surveys.models import Response, SavedJourney


@transaction.atomic
def response_erase(*, response: Response, actor: Actor) -> dict[str, int | str]:
    """Delete the response, its consultation and About you answers, and any saved copy of the journey
    with its reference. The audit log keeps that it was erased, by whom and when, never the answers."""
    reference = response.reference
    saved, _ = SavedJourney.objects.filter(survey=response.survey, reference=reference).delete()
    audit_record(
        actor=actor,
        action=AuditAction.RESPONSE_DELETED,
        target=response,
        detail={"survey": str(response.survey_id), "reason": "erasure request", "saved_journeys": saved},
    )
    response.delete()  # Answer and EqualityProfile rows cascade
    kept_counts_forget(survey_ids=[response.survey_id])  # counted from the answers deleted
    return {"reference": reference, "saved_journeys": saved}
