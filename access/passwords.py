"""What the password-reset email and pages say about the council and the link (used by the reset page
and by the link sent to a new member of staff to choose their first password)."""

from typing import Any

from django.conf import settings


def reset_email_context() -> dict[str, Any]:
    return {"site_name": settings.COUNCIL["name"], "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
