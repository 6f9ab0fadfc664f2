"""Reads of "About you" answers, aggregated in the database.

Other apps (the representativeness report) read equality data only through these functions, and only
as counts: individual rows never leave this module.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.db import connection

from surveys.equality.library import PREFER_NOT_TO_SAY
from surveys.models import Choice, EqualityProfile, Question, equality_characteristic_fields

COUNT = "respondents"
_COLUMNS = {"age", "age_status", "section_skipped", *equality_characteristic_fields()}


@dataclass(frozen=True)
class ProfileFilter:
    """Which responses a report counts: one survey, optionally one channel and a submission date range."""

    survey_id: object
    channel: str | None = None
    submitted_from: dt.datetime | None = None
    submitted_to: dt.datetime | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses, params = ["survey_id = %s"], [self._survey_param()]
        if self.channel:
            clauses.append("channel = %s")
            params.append(self.channel)
        if self.submitted_from:
            clauses.append("submitted_at >= %s")
            params.append(self.submitted_from)
        if self.submitted_to:
            clauses.append("submitted_at < %s")
            params.append(self.submitted_to)
        return " AND ".join(clauses), params

    def _survey_param(self) -> object:
        # Let the backend turn the UUID into its own column format (SQLite stores it as hex text).
        field = EqualityProfile._meta.get_field("survey").target_field
        return field.get_db_prep_value(self.survey_id, connection)


def _check(columns: Sequence[str]) -> None:
    unknown = set(columns) - _COLUMNS
    if unknown:  # column names are interpolated into SQL: only known ones may pass
        raise ValueError(f"Not an equality column: {', '.join(sorted(unknown))}")


def equality_counts(*, where: ProfileFilter, groupings: Sequence[tuple[str, ...]]) -> list[pd.DataFrame]:
    """Respondent counts for each grouping of profile columns, counted by the database in one statement.

    Returns one DataFrame per grouping: the grouping's columns (None where not asked) and `respondents`.
    PostgreSQL counts every grouping in one pass with GROUPING SETS; SQLite, which has none, with
    UNION ALL. Either way the rows are counted in SQL, never loaded into Python.
    """
    for grouping in groupings:
        _check(grouping)
    if not groupings:
        return []
    table = EqualityProfile._meta.db_table
    condition, params = where.where()
    all_columns = list(dict.fromkeys(c for g in groupings for c in g))
    if connection.vendor == "postgresql":
        sets = ", ".join("(" + ", ".join(g) + ")" for g in groupings)
        grouping_ids = ", ".join(f"GROUPING({c}) AS g_{c}" for c in all_columns)
        sql = (
            f"SELECT {', '.join(all_columns)}, {grouping_ids}, COUNT(*) FROM {table} "
            f"WHERE {condition} GROUP BY GROUPING SETS ({sets})"
        )
        query_params = params
    else:
        parts = []
        for grouping in groupings:
            select = ", ".join(c if c in grouping else f"NULL AS {c}" for c in all_columns)
            flags = ", ".join(f"{0 if c in grouping else 1} AS g_{c}" for c in all_columns)
            parts.append(
                f"SELECT {select}, {flags}, COUNT(*) FROM {table} WHERE {condition} GROUP BY {', '.join(grouping)}"
            )
        sql = " UNION ALL ".join(parts)
        query_params = params * len(groupings)
    with connection.cursor() as cursor:
        cursor.execute(sql, query_params)
        rows = cursor.fetchall()
    frame = pd.DataFrame(rows, columns=[*all_columns, *(f"g_{c}" for c in all_columns), COUNT])
    results = []
    for grouping in groupings:
        mask = pd.Series(True, index=frame.index)
        for column in all_columns:
            mask &= frame[f"g_{column}"] == (0 if column in grouping else 1)
        part = frame.loc[mask, [*grouping, COUNT]].reset_index(drop=True)
        part[COUNT] = part[COUNT].astype("int64")
        results.append(part)
    return results


def equality_respondent_total(*, where: ProfileFilter) -> int:
    condition, params = where.where()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {EqualityProfile._meta.db_table} WHERE {condition}", params)
        return int(cursor.fetchone()[0])


def survey_equality_keys(*, survey_id: object) -> list[str]:
    """The standard "About you" questions the survey asks, in order."""
    return list(
        Question.objects.filter(page__survey_id=survey_id)
        .exclude(equality_key="")
        .order_by("page__position", "position")
        .values_list("equality_key", flat=True)
    )


def survey_area_codes(*, survey_id: object) -> list[str]:
    """The ward codes residents could choose in the survey's area question, in the order shown."""
    return list(
        Choice.objects.filter(question__page__survey_id=survey_id, question__equality_key="area")
        .exclude(value=PREFER_NOT_TO_SAY)
        .order_by("position")
        .values_list("value", flat=True)
    )
