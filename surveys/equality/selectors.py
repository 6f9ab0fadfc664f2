"""Reads of "About you" answers, aggregated in the database.

Other apps (the representativeness report) read equality data only through these functions, and only
as counts: individual rows never leave this module.
"""

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction

from surveys.equality.kept_counts import (
    CellCounts,
    CellRow,
    cell_counts,
    kept_cell_counts,
    kept_counts,
    kept_profile_counts,
    profiles_through,
    rows_in_order,
)
from surveys.equality.kept_counts import one_reading as one_reading  # the equality data's readers open one
from surveys.equality.library import PREFER_NOT_TO_SAY
from surveys.models import Answer, Choice, EqualityProfile, Question, equality_characteristic_fields
from surveys.selectors import DEFAULT_AGREEMENT_CHOICES

COUNT = "respondents"
AgeBand = tuple[int, int | None]
AGE_BAND = "age_band"
_COLUMNS = {"age", "age_status", "section_skipped", *equality_characteristic_fields()}


@dataclass(frozen=True)
class ProfileFilter:
    """Which responses a report counts: one survey, optionally one channel and a submission date range,
    and for a published snapshot (representativeness.disclosure.snapshot) the answers stored up to one
    point (profile ids up to `through_id`)."""

    survey_id: object
    channel: str | None = None
    submitted_from: dt.datetime | None = None
    submitted_to: dt.datetime | None = None
    # Only respondents who said they live in one of these wards (ward codes), for a ward's report.
    wards: tuple[str, ...] | None = None
    through_id: int | None = None

    @property
    def keeps_counts(self) -> bool:
        """Whether answers and respondents counted for this filter may be kept and brought up to date
        (decisions 32 and 42): a whole survey, or its published snapshot, on PostgreSQL."""
        no_filters = not (self.channel or self.submitted_from or self.submitted_to or self.wards is not None)
        return no_filters and connection.vendor == "postgresql"

    def where(self, table: str = "") -> tuple[str, list[Any]]:
        """SQL conditions on the profile table (its columns prefixed with `table.` when given) and params."""
        prefix = f"{table}." if table else ""
        clauses: list[str] = [f"{prefix}survey_id = %s"]
        params: list[Any] = [self._survey_param()]
        if self.channel:
            clauses.append(f"{prefix}channel = %s")
            params.append(self.channel)
        if self.submitted_from:
            clauses.append(f"{prefix}submitted_at >= %s")
            params.append(self._time_param(self.submitted_from))
        if self.submitted_to:
            clauses.append(f"{prefix}submitted_at < %s")
            params.append(self._time_param(self.submitted_to))
        if self.wards is not None:
            clauses.append(f"{prefix}area IN ({', '.join(['%s'] * len(self.wards))})" if self.wards else "1 = 0")
            params.extend(self.wards)
        if self.through_id is not None:
            clauses.append(f"{prefix}id <= %s")
            params.append(int(self.through_id))
        return " AND ".join(clauses), params

    @staticmethod
    def _time_param(moment: dt.datetime) -> object:
        # As the ORM would store it: SQLite keeps UTC text, and compares text, so an aware time in
        # another zone must be converted first or the window shifts by the offset.
        field = EqualityProfile._meta.get_field("submitted_at")
        return field.get_db_prep_value(moment, connection)

    def _survey_param(self) -> object:
        # Let the backend turn the UUID into its own column format (SQLite stores it as hex text).
        field = EqualityProfile._meta.get_field("survey").target_field
        return field.get_db_prep_value(self.survey_id, connection)


def equality_profile_count(*, survey_id: uuid.UUID | str, through_id: int | None = None) -> int:
    """How many of the survey's profiles have an id up to `through_id` (None: all of them). On PostgreSQL
    read with the check of the kept counts, which reads the same profiles: once per reading (`one_reading`)."""
    profiles = EqualityProfile.objects.filter(survey_id=survey_id)
    if connection.vendor != "postgresql":
        return (profiles if through_id is None else profiles.filter(pk__lte=through_id)).count()
    if through_id is None:  # the last id from the primary, as the kept counts' (a replica may be behind)
        through_id = profiles.using(connection.alias).order_by("-id").values_list("id", flat=True).first()
        if through_id is None:
            return 0
    return profiles_through(where=ProfileFilter(survey_id, through_id=through_id))


def _check(columns: Sequence[str]) -> None:
    unknown = set(columns) - _COLUMNS
    if unknown:  # column names are interpolated into SQL: only known ones may pass
        raise ValueError(f"Not an equality column: {', '.join(sorted(unknown))}")


def equality_counts(
    *, where: ProfileFilter, groupings: Sequence[tuple[str, ...]], age_bands: Sequence[AgeBand] | None = None
) -> list[pd.DataFrame]:
    """Respondent counts for each grouping of profile columns, counted by the database in one statement.

    Returns one DataFrame per grouping: the grouping's columns (None where not asked) and `respondents`.
    A grouping may have "age_band", age grouped into `age_bands`. PostgreSQL counts every grouping in one
    pass with GROUPING SETS, and keeps the counts of a whole survey (decision 42); SQLite, which has none,
    counts with UNION ALL. Either way the rows are counted in SQL, never loaded into Python.
    """
    for grouping in groupings:
        _check([c for c in grouping if c != AGE_BAND])
    if not groupings:
        return []
    if (
        connection.vendor == "postgresql"
        and not where.keeps_counts
        and not connection.in_atomic_block
        and len(groupings) > 1
    ):
        # One pass over a million rows hashes every grouping on one core; this machine has two. Half the
        # groupings are counted on a second connection at the same time. Only outside a transaction:
        # another connection cannot see rows this one has not committed.
        first, second = list(groupings[::2]), list(groupings[1::2])
        with ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(_counts_on_own_connection, where, second, age_bands)
            mine = _counts(where, first, age_bands)
            theirs = other.result()
        by_grouping = dict(zip(first, mine, strict=True)) | dict(zip(second, theirs, strict=True))
        return [by_grouping[g] for g in groupings]
    return _counts(where, groupings, age_bands)


def _counts_on_own_connection(
    where: ProfileFilter, groupings: Sequence[tuple[str, ...]], age_bands: Sequence[AgeBand] | None
) -> list[pd.DataFrame]:
    try:
        return _counts(where, groupings, age_bands)
    finally:
        connection.close()  # this thread's own connection


def _counts(
    where: ProfileFilter, groupings: Sequence[tuple[str, ...]], age_bands: Sequence[AgeBand] | None
) -> list[pd.DataFrame]:
    all_columns = list(dict.fromkeys(c for g in groupings for c in g))
    expressions, _, params = _cell_columns(all_columns, age_bands, "p")
    selected = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, all_columns, strict=True))

    def profiles(condition: str) -> str:
        return f"SELECT {selected} FROM {EqualityProfile._meta.db_table} p WHERE {condition}"

    if connection.vendor == "postgresql":
        sets = ", ".join("(" + ", ".join(g) + ")" for g in groupings)
        grouping_ids = ", ".join(f"GROUPING({c}) AS g_{c}" for c in all_columns)

        def statement(condition: str, where_params: list[Any]) -> tuple[str, list[Any]]:
            sql = (
                f"SELECT {', '.join(all_columns)}, {grouping_ids}, COUNT(*) FROM ({profiles(condition)}) s "
                f"GROUP BY GROUPING SETS ({sets})"
            )
            return sql, params + where_params

    else:

        def statement(condition: str, where_params: list[Any]) -> tuple[str, list[Any]]:
            parts = []
            for grouping in groupings:
                select = ", ".join(c if c in grouping else f"NULL AS {c}" for c in all_columns)
                flags = ", ".join(f"{0 if c in grouping else 1} AS g_{c}" for c in all_columns)
                parts.append(
                    f"SELECT {select}, {flags}, COUNT(*) FROM ({profiles(condition)}) s GROUP BY {', '.join(grouping)}"
                )
            return " UNION ALL ".join(parts), (params + where_params) * len(groupings)

    rows = _respondent_rows(where, statement)
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


def _respondent_rows(where: ProfileFilter, statement: Callable[[str, list[Any]], tuple[str, list[Any]]]) -> list[tuple]:
    """The rows (values, then how many) of a statement that counts respondents, `statement(condition,
    params)` for the profiles (`p`) matching a condition: for a whole survey on PostgreSQL from the counts
    kept and brought up to date (decision 42), otherwise counted. Either way in one order, so that what is
    worked out from them does not depend on where they came from."""

    def count(condition: str, where_params: list[Any]) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(*statement(condition, where_params))
            return [tuple(row) for row in cursor.fetchall()]

    if where.keeps_counts:
        recipe = json.dumps(["respondents", *statement("?", [])], default=str)
        return kept_profile_counts(where=where, recipe=recipe, count=count)
    return rows_in_order(count(*where.where("p")))


def survey_equality_keys(*, survey_id: uuid.UUID | str) -> list[str]:
    """The standard "About you" questions the survey asks, in order."""
    return list(
        Question.objects.filter(page__survey_id=survey_id)
        .exclude(equality_key="")
        .order_by("page__position", "position")
        .values_list("equality_key", flat=True)
    )


def survey_area_codes(*, survey_id: uuid.UUID | str) -> list[str]:
    """The ward codes residents could choose in the survey's area question, in the order shown."""
    return list(
        Choice.objects.filter(question__page__survey_id=survey_id, question__equality_key="area")
        .exclude(value=PREFER_NOT_TO_SAY)
        .order_by("position")
        .values_list("value", flat=True)
    )


def _age_band_sql(bands: Sequence[AgeBand], column: str) -> tuple[str, list[Any]]:
    """A CASE expression giving each age its band's label ("16 to 24", "75 and over"), NULL if none."""
    whens: list[str] = []
    params: list[Any] = []
    for low, high in bands:
        label = f"{low} and over" if high is None else f"{low} to {high}"
        if high is None:
            whens.append(f"WHEN {column} >= %s THEN %s")
            params += [low, label]
        else:
            whens.append(f"WHEN {column} BETWEEN %s AND %s THEN %s")
            params += [low, high, label]
    return f"CASE {' '.join(whens)} ELSE NULL END", params


def _cell_columns(columns: Sequence[str], age_bands: Sequence[AgeBand] | None, table: str) -> tuple[list, list, list]:
    """SELECT expressions, their output names and params for profile columns, "age_band" included."""
    expressions, names, params = [], [], []
    for column in columns:
        if column == AGE_BAND:
            if not age_bands:
                raise ValueError("Age bands are needed to group by age band.")
            sql, band_params = _age_band_sql(age_bands, f"{table}.age")
            expressions.append(sql)
            params += band_params
        else:
            _check([column])
            expressions.append(f"{table}.{column}")
        names.append(column)
    return expressions, names, params


def equality_cells(
    *, where: ProfileFilter, columns: Sequence[str], age_bands: Sequence[AgeBand] | None = None
) -> pd.DataFrame:
    """Respondents per combination of characteristics (the cells raking works on), from one GROUP BY.

    `columns` are profile columns, or "age_band" for age grouped into `age_bands`. The number of cells
    is bounded by the categories' product, not by the number of respondents.
    """
    expressions, names, params = _cell_columns(columns, age_bands, "p")
    selected = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, names, strict=True))
    grouped = ", ".join(str(i) for i in range(1, len(names) + 1))

    def statement(condition: str, where_params: list[Any]) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT {selected}, COUNT(*) FROM {EqualityProfile._meta.db_table} p WHERE {condition} GROUP BY {grouped}"
        )
        return sql, params + where_params

    rows = _respondent_rows(where, statement)
    frame = pd.DataFrame(rows, columns=[*names, COUNT])
    frame[COUNT] = frame[COUNT].astype("int64")
    return frame


def answer_cells(
    *, where: ProfileFilter, columns: Sequence[str], age_bands: Sequence[AgeBand] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Chosen answers per question (and grid row) and choice, by combination of characteristics.

    Returns (chosen, answering): `chosen` has one row per (cell, question, grid row, choice) with the
    number of respondents who chose it; `answering` one row per (cell, question, grid row) with the
    number who answered it at all, the denominator of a multiple-choice share. Counted by the
    database; consultation answers are joined to "About you" answers only here, and only as counts.
    """
    expressions, names, params = _cell_columns(columns, age_bands, "p")
    condition, where_params = where.where("p")
    selected = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, names, strict=True))
    cell_positions = ", ".join(str(i) for i in range(1, len(names) + 1))
    answers, profiles, questions = Answer._meta.db_table, EqualityProfile._meta.db_table, Question._meta.db_table
    # An agreement question on the default scale has no Choice rows: its answers are the scale's values.
    scale = [value for value, _ in DEFAULT_AGREEMENT_CHOICES]
    placeholders = ", ".join(["%s"] * len(scale))
    join = (
        f"FROM {answers} a JOIN {profiles} p ON p.response_id = a.response_id "
        f"JOIN {questions} q ON q.id = a.question_id "
        f"WHERE {condition} AND (a.choice_id IS NOT NULL OR (q.type = %s AND a.text IN ({placeholders})))"
    )
    join_params = [*where_params, Question.Type.AGREEMENT.value, *scale]
    scale_value = "CASE WHEN a.choice_id IS NULL THEN a.text ELSE '' END"
    chosen_sql = (
        f"SELECT {selected}, a.question_id, a.grid_row_id, a.choice_id, {scale_value}, COUNT(*) {join} "
        f"GROUP BY {cell_positions}, a.question_id, a.grid_row_id, a.choice_id, {scale_value}"
    )
    answering_sql = (
        f"SELECT {selected}, a.question_id, a.grid_row_id, COUNT(DISTINCT a.response_id) {join} "
        f"GROUP BY {cell_positions}, a.question_id, a.grid_row_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(chosen_sql, params + join_params)
        chosen = pd.DataFrame(
            cursor.fetchall(), columns=[*names, "question_id", "grid_row_id", "choice_id", "scale_value", COUNT]
        )
        cursor.execute(answering_sql, params + join_params)
        answering = pd.DataFrame(cursor.fetchall(), columns=[*names, "question_id", "grid_row_id", "answering"])
    chosen[COUNT] = chosen[COUNT].astype("int64")
    answering["answering"] = answering["answering"].astype("int64")
    return chosen, answering


def free_text_of_group(
    *,
    where: ProfileFilter,
    columns: Sequence[str],
    combinations: Sequence[tuple[Any, ...]],
    age_bands: Sequence[AgeBand] | None = None,
) -> list[tuple[object, str]]:
    """The free-text consultation answers (short and long text, not About you) of the respondents whose
    `columns` take one of `combinations` (None matches a null): (question id, text), in answer order.

    For the lived-experience view only, which the access policy limits to staff who may see equality
    data and which is audited. Nothing here says which response an answer came from.
    """
    if not combinations:
        return []
    if AGE_BAND in columns and not age_bands:
        raise ValueError("Age bands are needed to match on age band.")
    _check([c for c in columns if c != AGE_BAND])
    matches: list[str] = []
    params: list[Any] = []
    for combination in combinations:
        parts = []
        for column, value in zip(columns, combination, strict=True):
            expression, expression_params = (
                _age_band_sql(age_bands or [], "p.age") if column == AGE_BAND else (f"p.{column}", [])
            )
            if value is None:
                parts.append(f"({expression}) IS NULL")
                params += expression_params
            else:
                parts.append(f"({expression}) = %s")
                params += [*expression_params, value]
        matches.append("(" + " AND ".join(parts) + ")")
    condition, where_params = where.where("p")
    answers, profiles, questions = Answer._meta.db_table, EqualityProfile._meta.db_table, Question._meta.db_table
    sql = (
        f"SELECT a.question_id, a.text FROM {answers} a "
        f"JOIN {profiles} p ON p.response_id = a.response_id "
        f"JOIN {questions} q ON q.id = a.question_id "
        f"WHERE {condition} AND q.equality_key = '' AND q.type IN (%s, %s) AND a.text <> '' "
        f"AND ({' OR '.join(matches)}) ORDER BY a.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*where_params, Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT, *params])
        return [(question_id, text) for question_id, text in cursor.fetchall()]


def _chosen_answers_sql(selected: str, condition: str) -> str:
    """Each chosen answer (a choice, not a write-in) of the profiles matching `condition` (on `p`), with the
    profile's `selected` columns: what the GROUPING SETS statements below count."""
    answers, profiles = Answer._meta.db_table, EqualityProfile._meta.db_table
    return (
        f"SELECT {selected}, a.response_id, a.question_id, a.grid_row_id, a.choice_id "
        f"FROM {answers} a JOIN {profiles} p ON p.response_id = a.response_id "
        f"WHERE {condition} AND a.choice_id IS NOT NULL"
    )


def answer_cells_by_groupings(
    *,
    where: ProfileFilter,
    groupings: Sequence[Sequence[str]],
    age_bands: Sequence[AgeBand] | None = None,
    multiple_choice_ids: Sequence[object] = (),
) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """`answer_cells` for several groupings of characteristics at once, as (chosen, answering) per grouping.

    PostgreSQL counts every grouping in one pass over the answers with GROUPING SETS; elsewhere each is
    its own statement. `answering` (respondents who answered, the denominator of a multiple-choice
    share) is counted for `multiple_choice_ids` only, the one kind of question whose chosen answers do
    not add up to it.
    """
    if connection.vendor != "postgresql" or len(groupings) < 2:
        return [answer_cells(where=where, columns=g, age_bands=age_bands) for g in groupings]
    all_columns = list(dict.fromkeys(c for g in groupings for c in g))
    expressions, names, params = _cell_columns(all_columns, age_bands, "p")
    selected = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, names, strict=True))
    flags = ", ".join(f"GROUPING({c}) AS g_{c}" for c in all_columns)
    cells = ", ".join(all_columns)

    def sets(extra: str) -> str:
        return ", ".join("(" + ", ".join([*g, extra]) + ")" for g in groupings)

    def inner(condition: str) -> str:
        return _chosen_answers_sql(selected, condition)

    field = Answer._meta.get_field("question").target_field
    ids = [field.get_db_prep_value(i, connection) for i in multiple_choice_ids]
    marks = ", ".join(["%s"] * len(ids))

    def count_rows(condition: str, where_params: list[Any]) -> tuple[list[tuple], list[tuple]]:
        """The statements' rows for the profiles matching `condition` (on `p`): chosen answers, and (for
        the multiple-choice questions) respondents who answered, each with its count last."""
        chosen_sql = (
            f"SELECT {cells}, question_id, grid_row_id, choice_id, {flags}, COUNT(*) FROM ({inner(condition)}) s "
            f"GROUP BY GROUPING SETS ({sets('question_id, grid_row_id, choice_id')})"
        )
        answering_rows: list[tuple] = []
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner multiplies the columns' distinct values, expects hundreds of thousands of groups,
            # finds their hash tables too big for work_mem and sorts every set's rows on disk instead. There
            # are a few hundred groups, which hash in a megabyte: let these statements plan with room to
            # hash, then put the settings back.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(chosen_sql, params + where_params)
            chosen_rows = [tuple(row) for row in cursor.fetchall()]
            if ids:
                answering_sql = (
                    f"SELECT {cells}, question_id, grid_row_id, {flags}, COUNT(DISTINCT response_id) "
                    f"FROM ({inner(condition)} AND a.question_id IN ({marks})) s "
                    f"GROUP BY GROUPING SETS ({sets('question_id, grid_row_id')})"
                )
                cursor.execute(answering_sql, params + where_params + ids)
                answering_rows = [tuple(row) for row in cursor.fetchall()]
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET work_mem")
        return chosen_rows, answering_rows

    if where.keeps_counts:
        # Counted once and kept, then only the responses since (decision 32).
        recipe = json.dumps([inner("?"), sets("?"), params, ids], default=str)
        chosen_rows, answering_rows = kept_counts(where=where, recipe=recipe, count=count_rows)
    else:
        chosen_rows, answering_rows = count_rows(*where.where("p"))
    chosen = pd.DataFrame(
        chosen_rows,
        columns=[*all_columns, "question_id", "grid_row_id", "choice_id", *(f"g_{c}" for c in all_columns), COUNT],
    )
    answering_columns = [*all_columns, "question_id", "grid_row_id", *(f"g_{c}" for c in all_columns), "answering"]
    answering = (
        pd.DataFrame(answering_rows, columns=answering_columns) if ids else pd.DataFrame(columns=answering_columns)
    )
    # GROUPING(c) is 0 in the rows grouped by c: a grouping set's rows are those flagged as it would be.
    flag_columns = [f"g_{c}" for c in all_columns]
    grouped = [frame[flag_columns].to_numpy(dtype=np.int64) for frame in (chosen, answering)]
    results = []
    for grouping in groupings:
        wanted = np.array([0 if column in grouping else 1 for column in all_columns], dtype=np.int64)
        parts = []
        for frame, flagged, keep, count in (
            (chosen, grouped[0], [*grouping, "question_id", "grid_row_id", "choice_id", COUNT], COUNT),
            (answering, grouped[1], [*grouping, "question_id", "grid_row_id", "answering"], "answering"),
        ):
            mask = (flagged == wanted).all(axis=1)
            part = frame.loc[mask, keep].reset_index(drop=True)
            part[count] = part[count].astype("int64")
            parts.append(part)
        results.append((parts[0], parts[1]))
    return results


CHOSEN, ANSWERING = "chosen", "answering"


@contextmanager
def answer_counts_by_cell(
    *,
    where: ProfileFilter,
    raking: Sequence[str],
    groupings: Sequence[Sequence[str]],
    age_bands: Sequence[AgeBand] | None = None,
    multiple_choice_ids: Sequence[object] = (),
) -> Iterator[CellCounts]:
    """Chosen answers counted by raking cell (each combination of the `raking` columns' values), and within
    it by each of `groupings` (other columns) and answer; and, for `multiple_choice_ids`, the respondents
    who answered each such question (the denominator of a multiple-choice share).

    Read inside the `with`: `coordinates` are what is counted within a cell, (CHOSEN, grouping's index, its
    columns' values, question, grid row, choice) or (ANSWERING, grouping's index, values, question, grid
    row, None); `chunks()` gives every cell, in the order of its key, with its counts by coordinate. Weights
    are the same for everyone in a cell, so the weighted analysis needs nothing finer, and however many
    responses there are the cells are bounded by the columns' categories. On PostgreSQL the counts are
    kept, a row per cell, and brought up to date (decision 39); each reading streams them.
    """
    if set(raking) & {c for g in groupings for c in g}:
        raise ValueError("A grouping's columns must not be raking columns.")
    sets_of = [tuple(g) for g in groupings]
    if len({frozenset(g) for g in sets_of}) != len(sets_of):
        raise ValueError("Two groupings have the same columns.")
    field = Answer._meta.get_field("question").target_field
    ids = [field.get_db_prep_value(i, connection) for i in multiple_choice_ids]
    if connection.vendor != "postgresql":
        yield cell_counts(_cell_rows_each(where, raking, sets_of, age_bands, set(multiple_choice_ids)))
        return
    extras = list(dict.fromkeys(c for g in sets_of for c in g))
    expressions, names, params = _cell_columns([*raking, *extras], age_bands, "p")
    selected = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, names, strict=True))
    cells, values = ", ".join(raking), "".join(f"{c}, " for c in extras)
    flags = "".join(f", GROUPING({c})" for c in extras)
    patterns = {tuple(0 if c in g else 1 for c in extras): index for index, g in enumerate(sets_of)}

    def sets(answer: str) -> str:
        return ", ".join("(" + ", ".join([*g, answer]) + ")" for g in sets_of)

    def inner(condition: str) -> str:
        return _chosen_answers_sql(selected, condition)

    def statement(condition: str) -> str:
        sql = (
            f"SELECT 0, {cells}, {values}question_id, grid_row_id, choice_id{flags}, COUNT(*) "
            f"FROM ({inner(condition)}) s "
            f"GROUP BY {cells}, GROUPING SETS ({sets('question_id, grid_row_id, choice_id')})"
        )
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            sql += (
                f" UNION ALL SELECT 1, {cells}, {values}question_id, grid_row_id, NULL{flags}, "
                f"COUNT(DISTINCT response_id) FROM ({inner(condition)} AND a.question_id IN ({marks})) s "
                f"GROUP BY {cells}, GROUPING SETS ({sets('question_id, grid_row_id')})"
            )
        return sql + f" ORDER BY {', '.join(str(i) for i in range(2, 2 + len(raking)))}"

    def count_rows(condition: str, where_params: list[Any]) -> Iterator[CellRow]:
        """The statement's rows for the profiles matching `condition` (on `p`), grouped by cell."""
        width = len(raking)
        query_params = params + where_params + (params + where_params + ids if ids else [])
        with connection.cursor() as settings_cursor:
            # As in answer_cells_by_groupings: room to hash the groups rather than sort every set's rows.
            settings_cursor.execute("SET LOCAL work_mem = '256MB'")
            settings_cursor.execute("SET LOCAL enable_sort = off")
        with connection.chunked_cursor() as cursor:
            cursor.execute(statement(condition), query_params)
            while batch := cursor.fetchmany(10_000):
                for row in batch:
                    kind, cell, rest = row[0], row[1 : 1 + width], row[1 + width :]
                    extra_values, answer = rest[: len(extras)], rest[len(extras) : len(extras) + 3]
                    grouping = patterns[tuple(rest[len(extras) + 3 : -1])] if extras else 0
                    value_of = dict(zip(extras, extra_values, strict=True))
                    mine = tuple(value_of[c] for c in sets_of[grouping])
                    yield tuple(cell), (ANSWERING if kind else CHOSEN, grouping, *mine, *answer), row[-1]
        with connection.cursor() as settings_cursor:
            settings_cursor.execute("RESET enable_sort")
            settings_cursor.execute("RESET work_mem")

    if where.keeps_counts:
        recipe = json.dumps(["by cell", statement("?"), params, ids], default=str)
        with kept_cell_counts(where=where, recipe=recipe, count=count_rows) as counted:
            yield counted
        return
    with transaction.atomic():  # the statement's rows are read a batch at a time, from a cursor of its own
        counted = cell_counts(count_rows(*where.where("p")))
    yield counted


def _cell_rows_each(
    where: ProfileFilter,
    raking: Sequence[str],
    groupings: Sequence[tuple[str, ...]],
    age_bands: Sequence[AgeBand] | None,
    multiple: set[object],
) -> Iterator[CellRow]:
    """`answer_counts_by_cell`'s rows where there are no GROUPING SETS: a statement per grouping."""
    width = len(raking)
    for index, grouping in enumerate(groupings):
        chosen, answering = answer_cells(where=where, columns=[*raking, *grouping], age_bands=age_bands)
        chosen = chosen[chosen["choice_id"].notna()]
        answering = answering[answering["question_id"].isin(multiple)]
        for kind, frame, answer in (
            (CHOSEN, chosen, ["question_id", "grid_row_id", "choice_id"]),
            (ANSWERING, answering, ["question_id", "grid_row_id"]),
        ):
            columns = [*raking, *grouping, *answer, frame.columns[-1]]
            for row in frame[columns].astype(object).where(frame[columns].notna(), None).itertuples(index=False):
                values = [int(v) if isinstance(v, float) and v.is_integer() else v for v in row[width:-1]]
                if kind == ANSWERING:
                    values.append(None)
                yield tuple(row[:width]), (kind, index, *values), int(row[-1])
