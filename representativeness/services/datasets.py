"""Uploading a group's equality data: read it, keep only its counts, record who did; its report against the
census; delete on schedule."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from access.models import Team
from audit.models import AuditAction
from audit.services import Actor, audit_record
from representativeness.disclosure import Audience, protection_for
from representativeness.models import GroupDataset
from representativeness.populations.datasets import (
    DatasetError,
    counts_as_json,
    counts_from_json,
    dataset_counts,
    mappings_from_text,
    table_rows,
    typed_issues,
    typed_rows,
)
from representativeness.populations.population import dataset_population
from representativeness.reports.builder import Report
from representativeness.reports.builder.build import population_report


def dataset_census_report(dataset: GroupDataset, *, area_code: str, audience: Audience) -> Report:
    """The stored counts against an area's census: the survey report's builder and protection (its page,
    downloads and API). Raises ReportError as the builder does."""
    population = dataset_population(
        counts_from_json(dataset.counts), title=dataset.title, slug=str(dataset.pk), minimum_age=dataset.minimum_age
    )
    protection = protection_for(audience=audience, scope=f"dataset:{dataset.pk}")
    return population_report(population=population, area_code=area_code, protection=protection)


def dataset_upload(
    *,
    team: Team,
    title: str,
    file_name: str,
    data: bytes,
    minimum_age: int | None,
    mappings_text: str,
    actor: Actor,
    typed: str | None = None,
) -> GroupDataset:
    """Read the file (or the counts `typed` one a line) and store its counts. Raises DatasetError (naming
    rows or typed lines, columns and labels) and stores nothing when it cannot be read. The file itself is
    never kept."""
    mappings = mappings_from_text(mappings_text)
    if typed is not None:
        try:
            header, rows = typed_rows(typed)
            counts = dataset_counts(header, rows, on=timezone.localdate(), mappings=mappings)
        except DatasetError as error:
            raise typed_issues(error) from None
    else:
        header, rows = table_rows(file_name=file_name, data=data)
        counts = dataset_counts(header, rows, on=timezone.localdate(), mappings=mappings)
    youngest = counts.youngest()
    youngest = 16 if youngest is None else youngest
    with transaction.atomic():
        dataset = GroupDataset.objects.create(
            team=team,
            title=title,
            file_name=file_name,
            minimum_age=minimum_age if minimum_age is not None else youngest,
            people=counts.people,
            counts=counts_as_json(counts),
            uploaded_by=actor.user,
        )
        audit_record(
            actor=actor,
            action=AuditAction.DATASET_UPLOADED,
            target=dataset,
            detail={"file": file_name, "people": counts.people, "columns": counts.columns_read},
        )
    return dataset


@transaction.atomic
def dataset_delete(*, dataset: GroupDataset, actor: Actor) -> None:
    audit_record(actor=actor, action=AuditAction.DATASET_DELETED, target=dataset)
    dataset.delete()


def datasets_purge(*, retention_days: int, now: dt.datetime | None = None) -> int:
    """Delete the counts of datasets uploaded more than `retention_days` ago; how many were deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days)
    deleted, _ = GroupDataset.objects.filter(uploaded_at__lt=cutoff).delete()
    return deleted
