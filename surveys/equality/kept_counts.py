"""Consultation answers counted by About you characteristics once, kept, and brought up to date.

Counting every answer of a million responses by every characteristic takes seconds, and the equality
analysis did it on every reading. The counts are additive over respondents, so they are kept
(`EqualityAnswerCounts`, stored with the profiles they come from) for the profiles up to one id, and each
reading counts only the profiles after it, with the same statement. Before that, the profiles counted
are checked to be the same (how many, and a sum of a hash of their ids): a profile deleted, or committed
late below the id, since, and everything is counted again. The published snapshot's figures (profiles
up to an earlier id) are the kept counts less the few profiles between.

Erasure, deletion and the retention purge delete the survey's kept counts with the answers
(`kept_counts_forget`): a count is data about the people counted.

Everything here (the lock on the kept counts, the last profile id, the fingerprints, the counting and
the write) is on one connection, the primary's, even inside a report whose reads the router sends to a
replica (config/db_router.py): a replica a moment behind gives a last profile id the counts kept may be
past already, and the newest responses would be left out of the figures.

Design: docs/decisions/0032-kept-counts-for-the-equality-analysis.md.
"""

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction

from surveys.models import EqualityAnswerCounts, EqualityProfile

Rows = list[tuple]
Counter = Callable[[str, list[Any]], tuple[Rows, Rows]]


def kept_counts_forget(*, survey_ids: Iterable[object]) -> int:
    """Delete the kept counts of these surveys (their answers were deleted or erased). Returns how many."""
    deleted, _ = EqualityAnswerCounts.objects.filter(survey_id__in=list(survey_ids)).delete()
    return deleted


def _fingerprint(survey_condition: tuple[str, list[Any]], low: int, high: int) -> tuple[int, int]:
    """How many of the survey's profiles have an id in (low, high], and the sum of a hash of their ids."""
    condition, params = survey_condition
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(hashint8(p.id)), 0) FROM {EqualityProfile._meta.db_table} p "
            f"WHERE {condition} AND p.id > %s AND p.id <= %s",
            [*params, low, high],
        )
        count, fingerprint = cursor.fetchone()
    return int(count), int(fingerprint)


def _between(survey_condition: tuple[str, list[Any]], low: int, high: int) -> tuple[str, list[Any]]:
    condition, params = survey_condition
    return f"{condition} AND p.id > %s AND p.id <= %s", [*params, low, high]


def _add(kept: Rows, rows: Rows, sign: int = 1) -> Rows:
    """Rows (values, then a count) added together by their values; a group counted nobody is dropped, as
    the statement would never return it."""
    totals: dict[tuple, int] = {}
    for row in kept:
        totals[tuple(row[:-1])] = totals.get(tuple(row[:-1]), 0) + int(row[-1])
    for row in rows:
        totals[tuple(row[:-1])] = totals.get(tuple(row[:-1]), 0) + sign * int(row[-1])
    if any(n < 0 for n in totals.values()):  # pragma: no cover - a subtraction of profiles never counted
        raise RuntimeError("Kept equality counts went below zero.")
    return [(*values, n) for values, n in sorted(totals.items(), key=lambda item: _sortable(item[0])) if n]


def _sortable(values: tuple) -> tuple:
    return tuple((value is None, str(type(value)), value if value is not None else 0) for value in values)


def kept_counts(*, where: Any, recipe: str, count: Counter) -> tuple[Rows, Rows]:
    """The rows `count` would give for `where` (a ProfileFilter on a whole survey, perhaps up to its
    published snapshot's id), from the counts kept for `recipe` (the statement, less its condition),
    counting only the profiles not yet counted. `count(condition, params)` runs the statement for the
    profiles (`p`) matching the condition."""
    survey_condition = dataclasses.replace(where, through_id=None).where("p")
    key = hashlib.sha256(recipe.encode()).hexdigest()
    primary = connection.alias  # `count` and `_fingerprint` use it too
    with transaction.atomic(using=primary):
        # One reader at a time brings a survey's counts up to date; the others wait, then read them.
        entry, _ = (
            EqualityAnswerCounts.objects.using(primary)
            .select_for_update()
            .get_or_create(survey_id=where.survey_id, key=key)
        )
        if (entry.profiles, entry.fingerprint) != _fingerprint(survey_condition, 0, entry.through_profile_id):
            # A profile counted has gone, or one below the id arrived late: count everything again.
            entry.through_profile_id, entry.profiles, entry.fingerprint, entry.chosen, entry.answering = 0, 0, 0, [], []
        last = (
            EqualityProfile.objects.using(primary)
            .filter(survey_id=where.survey_id)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        ) or 0
        bound = last if where.through_id is None else min(int(where.through_id), last)
        chosen, answering = [tuple(r) for r in entry.chosen], [tuple(r) for r in entry.answering]
        changed = entry.through_profile_id == 0 or entry._state.adding
        low, high = sorted((entry.through_profile_id, bound))
        if high > low:
            # The fingerprint first: a profile committed between the two statements is then counted but
            # not fingerprinted, and noticed next time, never the other way round.
            more, more_fingerprint = _fingerprint(survey_condition, low, high)
            new_chosen, new_answering = count(*_between(survey_condition, low, high))
            if bound > entry.through_profile_id:
                chosen, answering = _add(chosen, new_chosen), _add(answering, new_answering)
                entry.through_profile_id = bound
                entry.profiles += more
                entry.fingerprint += more_fingerprint
                entry.chosen, entry.answering = [list(r) for r in chosen], [list(r) for r in answering]
                changed = True
            else:  # the published snapshot, a few profiles behind the counts kept
                chosen, answering = _add(chosen, new_chosen, -1), _add(answering, new_answering, -1)
        if changed:
            entry.save(using=primary)
    return chosen, answering
