"""The background task that writes an export (run by the database-backed worker: `manage.py db_worker`)."""

import logging

from django.tasks import task
from django.utils import timezone

from exports.files import export_path
from exports.models import ResponseExport
from surveys.exports import responses_export

logger = logging.getLogger(__name__)


@task
def response_export_write(export_id: str) -> int:
    """Write the export's file (whole or not at all) and say how it went on its row. Returns the responses written."""
    export = ResponseExport.objects.select_related("survey").get(pk=export_id)
    ResponseExport.objects.filter(pk=export.pk).update(status=ResponseExport.Status.RUNNING)
    path = export_path(export.pk, export.file_format)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as out:
            result = responses_export(
                survey=export.survey, file_format=export.file_format, output=out, with_equality=export.with_equality
            )
        partial.replace(path)
    except Exception:
        partial.unlink(missing_ok=True)
        logger.exception("Export %s could not be written", export.pk)  # the log filter withholds the message
        ResponseExport.objects.filter(pk=export.pk).update(
            status=ResponseExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    ResponseExport.objects.filter(pk=export.pk).update(
        status=ResponseExport.Status.READY, responses=result.rows, finished_at=timezone.now()
    )
    return result.rows
