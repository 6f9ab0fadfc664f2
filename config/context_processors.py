from django.conf import settings
from django.http import HttpRequest


def council(request: HttpRequest) -> dict[str, object]:
    """The council's identity, for the header and footer of every page."""
    return {"council": settings.COUNCIL}
