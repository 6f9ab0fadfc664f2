import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from surveys.exports import ExportFormat


class ResponseExport(models.Model):
    """One export an officer asked for, and where its task has got to."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being written"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be written"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_format = models.CharField(max_length=4, choices=ExportFormat.choices)
    with_equality = models.BooleanField(default=False, help_text="With the About you columns.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    responses = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(file_format__in=ExportFormat.values), name="export_format_known")
        ]

    def __str__(self) -> str:
        return f"{self.survey} responses ({self.file_format})"

    @property
    def team_id(self) -> int | None:
        """The team that owns the survey (for the access policy)."""
        return self.survey.team_id

    @property
    def file_name(self) -> str:
        return f"{self.survey.slug}-responses.{self.file_format}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
