"""Officers' writes to responses."""

from django.db import transaction

from audit.models import AuditAction
from audit.services import Actor, audit_record
from surveys.equality.kept_counts import kept_counts_forget
from surveys.models import Response


@transaction.atomic
def response_delete(*, response: Response, actor: Actor) -> str:
    """Delete a response with its consultation and "About you" answers, and record it. Returns its reference."""
    reference = response.reference
    audit_record(
        actor=actor, action=AuditAction.RESPONSE_DELETED, target=response, detail={"survey": str(response.survey_id)}
    )
    response.delete()  # Answer and EqualityProfile rows cascade
    kept_counts_forget(survey_ids=[response.survey_id])  # counted from the answers deleted
    return reference
