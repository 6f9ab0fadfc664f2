"""Asking for an export, and forgetting old ones."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import Actor, audit_record
from exports.files import export_path
from exports.models import ResponseExport
from exports.tasks import response_export_write
from surveys.models import Survey


def export_request(*, survey: Survey, file_format: str, with_equality: bool, actor: Actor) -> ResponseExport:
    """Queue an export of the survey's responses, recorded in the audit log. The caller has asked the access
    policy (Action.DOWNLOAD, and Action.EQUALITY_DATA_VIEW for the About you columns). Exports older than
    EXPORT_KEEP_HOURS are deleted first."""
    exports_expired_delete()
    with transaction.atomic():
        export = ResponseExport.objects.create(
            survey=survey, requested_by=actor.user, file_format=file_format, with_equality=with_equality
        )
        audit_record(
            actor=actor,
            action=AuditAction.DOWNLOADED,
            target=survey,
            detail={"export": str(export.pk), "format": file_format, "about_you": with_equality},
        )
        # After the commit, so the worker finds the row.
        transaction.on_commit(lambda: response_export_write.enqueue(str(export.pk)))
    return export


def exports_expired_delete(*, now: dt.datetime | None = None) -> int:
    """Delete exports (and their files) older than EXPORT_KEEP_HOURS: they hold personal data. Returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    expired = list(ResponseExport.objects.filter(requested_at__lt=cutoff))
    for export in expired:
        export_path(export.pk, export.file_format).unlink(missing_ok=True)
    ResponseExport.objects.filter(pk__in=[e.pk for e in expired]).delete()
    return len(expired)
