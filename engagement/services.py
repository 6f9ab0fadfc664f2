"""Officers' writes that span surveys and their "About you" data."""

from django.db import transaction

from surveys.models import Response


@transaction.atomic
def response_delete(*, response: Response) -> str:
    """Delete a response with its consultation and "About you" answers. Returns its reference."""
    reference = response.reference
    response.delete()  # Answer and EqualityProfile rows cascade
    return reference
