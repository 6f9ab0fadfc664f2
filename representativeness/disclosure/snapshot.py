"""Published snapshots: figures for the protected audience change only after enough new responses.

Two outputs taken before and after one new response differ by that person's answers, in every table
they appear in, whatever each output hides. So the protected audience's figures are not counted from
the live responses but from a **published snapshot**: the survey's "About you" answers as they stood at
the last refresh. A snapshot is refreshed (when protected figures are next asked for) only once at
least `SNAPSHOT_REFRESH_AFTER` responses (default 10, never fewer than the suppression threshold) have
arrived or been removed since the last one, so comparing any two outputs reveals at most the combined
answers of that many people.

A snapshot is the set of answers stored up to one point: every `EqualityProfile` of the survey whose
id is at most `through_profile_id` (ids only grow). If that set changes without enough changes for a
refresh (a response deleted, or a response committed late with an earlier id), the snapshot's figures
could no longer be reproduced, and counting the changed set would give the change away: the figures
are withheld until the next refresh (`SnapshotUnavailable`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from representativeness.errors import ReportError


class SnapshotUnavailable(ReportError):
    """The published figures are being updated; the message names no category, count or person."""


@dataclass(frozen=True)
class Snapshot:
    """What the protected audience's figures are counted from: profiles with id <= `through_profile_id`."""

    through_profile_id: int
    responses: int
    refreshed_at: dt.datetime | None
    refresh_after: int

    def note(self) -> str:
        if self.responses == 0:
            return (
                f"No responses are published yet: these figures are published once at least {self.refresh_after} "
                f"responses have arrived, and updated after every {self.refresh_after} more."
            )
        when = "" if self.refreshed_at is None else f" on {timezone.localtime(self.refreshed_at):%-d %B %Y at %H:%M}"
        return (
            f"These figures count the {self.responses:,} responses published{when}. They are updated once at "
            f"least {self.refresh_after} more responses have arrived, so that no two versions of them differ "
            "by a few people's answers."
        )


def snapshot_refresh_after() -> int:
    """How many responses must arrive (or be removed) before a refresh: the setting, never below the threshold."""
    config = settings.REPRESENTATIVENESS
    return max(int(config.get("SNAPSHOT_REFRESH_AFTER", 10)), int(config["SUPPRESSION_THRESHOLD"]))


def published_snapshot(*, survey) -> Snapshot:
    """The survey's published snapshot, refreshed first if enough responses have changed since the last."""
    from representativeness.models import PublishedSnapshot
    from surveys.equality.selectors import equality_profile_count
    from surveys.models import EqualityProfile

    refresh_after = snapshot_refresh_after()
    with transaction.atomic():
        record, _ = PublishedSnapshot.objects.select_for_update().get_or_create(survey=survey)
        profiles = EqualityProfile.objects.filter(survey=survey)
        inside = equality_profile_count(survey_id=survey.pk, through_id=record.through_profile_id)
        arrived = profiles.filter(pk__gt=record.through_profile_id).count()
        changes = arrived + abs(record.responses - inside)
        if changes >= refresh_after:
            record.through_profile_id = profiles.aggregate(last=Max("pk"))["last"] or 0
            record.responses = inside + arrived
            record.refreshed_at = timezone.now()
            record.save()
            inside = record.responses
    if inside != record.responses:
        raise SnapshotUnavailable(
            "The published figures are being updated and will be shown again once at least "
            f"{refresh_after} more responses have arrived."
        )
    return Snapshot(
        through_profile_id=record.through_profile_id,
        responses=record.responses,
        refreshed_at=record.refreshed_at,
        refresh_after=refresh_after,
    )
