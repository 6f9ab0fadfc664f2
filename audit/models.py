"""The audit log: an append-only record of who did what to which object, when, and from where.

Entries are never changed or deleted: the model and its querysets refuse to, the admin shows them
read-only, and the database itself refuses UPDATE (and, on PostgreSQL, DELETE) through triggers
(migration 0002). They never hold equality answers: only what was done and to which object.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    EQUALITY_ANSWERS_VIEWED = "equality_answers_viewed", "Viewed individual About you answers"
    DOWNLOADED = "downloaded", "Downloaded a file"
    SURVEY_CREATED = "survey_created", "Created a survey"
    SURVEY_DUPLICATED = "survey_duplicated", "Duplicated a survey"
    SURVEY_PUBLISHED = "survey_published", "Published a survey"
    SURVEY_CLOSED = "survey_closed", "Closed a survey"
    SURVEY_DELETED = "survey_deleted", "Deleted a survey"
    QUESTION_REWORDED = "question_reworded", "Reworded a question that has answers"
    RESPONSE_DELETED = "response_deleted", "Deleted a response"
    CENSUS_IMPORTED = "census_imported", "Imported census data"
    STAFF_ADDED = "staff_added", "Added a member of staff"
    STAFF_CHANGED = "staff_changed", "Changed a member of staff's team, role or permissions"
    TEAM_ADDED = "team_added", "Added a team"
    TEAM_CHANGED = "team_changed", "Renamed a team"
    LISTING_CHANGED = "listing_changed", "Changed a consultation's hub listing"
    DOCUMENT_UPLOADED = "document_uploaded", "Uploaded a document"
    DOCUMENT_DELETED = "document_deleted", "Deleted a document"
    DOCUMENT_CHANGED = "document_changed", "Changed or moved a document"
    EVENT_ADDED = "event_added", "Added an event"
    EVENT_DELETED = "event_deleted", "Deleted an event"
    EVENT_CHANGED = "event_changed", "Changed an event"
    RESPONSE_KEYED_IN = "response_keyed_in", "Keyed in a paper, phone, event or partner response"
    FORMAT_REQUEST_DONE = "format_request_done", "Marked a request for another format as done"
    OUTCOME_PUBLISHED = "outcome_published", "Published an outcome"
    PLAN_CHANGED = "plan_changed", "Changed an engagement plan"
    PARTNER_CHANGED = "partner_changed", "Added or changed a partner organisation"
    DATASET_UPLOADED = "dataset_uploaded", "Uploaded a group's equality data"
    DATASET_DELETED = "dataset_deleted", "Deleted a group's equality data"


class Via(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    COMMAND = "command", "Command line"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Staff are deactivated, never deleted, while entries name them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True, help_text="Username at the time; empty for the system.")
    action = models.CharField(max_length=40, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True, help_text="survey, response, user, team, baseline...")
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True, help_text="What the object was called at the time.")
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'}: {self.get_action_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries cannot be deleted.")
