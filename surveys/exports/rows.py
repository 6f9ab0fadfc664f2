"""A survey's responses as export rows, pivoted in the database and read a chunk at a time.

The answers are pivoted to one row per response by one GROUP BY (`columns` gives each column's SQL), so
the database does the work and Python only formats rows; on PostgreSQL the rows come through a server-side
cursor, so no export holds every row in memory. The same SQL serves `benchmarks/export.py`'s COPY baseline.

An SPSS file describes its columns before its first row, so `stored_values` measures beforehand what the
rows will hold (the longest text, codes no longer offered) with a few aggregate queries, and `one_snapshot`
has those queries and the rows read the same data.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from surveys.exports.columns import CODE, DATE, DATETIME, FLAG, NUMBER, TEXT, Column
from surveys.models import Answer, Choice, EqualityProfile, Page, Question, Response, Survey

CHUNK = 2000


def export_sql(*, survey: Survey, columns: Sequence[Column]) -> tuple[str, list[Any]]:
    """The query giving one row per response of `survey`, the values of `columns` in order, oldest first."""
    table = _tables()
    pivoted = [c for c in columns if c.per_answer]
    params: list[Any] = []
    select = [f"p.v{i}" if column.per_answer else column.sql for i, column in enumerate(columns)]
    answer_values = []
    for index, column in enumerate(columns):
        if column.per_answer:
            answer_values.append(f"{column.sql} AS v{index}")
            params.extend(column.params)
    sql = f"SELECT {', '.join(select)} FROM {table[Response]} r"
    if pivoted:
        sql += (
            f" LEFT JOIN (SELECT a.response_id, {', '.join(answer_values)}"
            f" FROM {table[Answer]} a LEFT JOIN {table[Choice]} c ON c.id = a.choice_id"
            f" WHERE a.question_id IN (SELECT q.id FROM {table[Question]} q"
            f" JOIN {table[Page]} pg ON pg.id = q.page_id WHERE pg.survey_id = %s)"
            " GROUP BY a.response_id) p ON p.response_id = r.id"
        )
        params.append(_survey_param(survey))
    if any(c.equality for c in columns):
        sql += f" LEFT JOIN {table[EqualityProfile]} e ON e.response_id = r.id"
    sql += " WHERE r.survey_id = %s ORDER BY r.submitted_at, r.id"
    params.append(_survey_param(survey))
    return sql, params


def _tables() -> dict[type, str]:
    return {
        m: connection.ops.quote_name(m._meta.db_table)
        for m in (Answer, Choice, EqualityProfile, Page, Question, Response)
    }


def _survey_param(survey: Survey) -> Any:
    # UUIDs are stored as 32 hex characters on SQLite and as uuid on PostgreSQL.
    return survey.pk if connection.vendor == "postgresql" else survey.pk.hex


def _datetime(value: Any) -> dt.datetime | None:
    """In UTC: PostgreSQL gives aware times, SQLite naive ones (or text) that Django stored in UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _number(value: Any) -> int | float | Decimal | None:
    if value is None or isinstance(value, int | float):
        return value
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else number


def _flag(value: Any) -> int | None:
    return None if value is None else int(value)


def _json_key(key: str) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        data = json.loads(value) if isinstance(value, str) else (value or {})
        return data.get(key) or None

    return read


def _converter(column: Column) -> Callable[[Any], Any] | None:
    """How a value from the database becomes the export's: typed, the same on SQLite and PostgreSQL."""
    if column.json_key:
        return _json_key(column.json_key)
    return {DATETIME: _datetime, DATE: _date, NUMBER: _number, FLAG: _flag}.get(column.kind)


def export_rows(*, survey: Survey, columns: Sequence[Column]) -> Iterator[list[Any]]:
    """Each response's values, in column order, typed (numbers, dates, UTC times, text; None when blank)."""
    sql, params = export_sql(survey=survey, columns=columns)
    converters = [(i, f) for i, column in enumerate(columns) if (f := _converter(column)) is not None]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            for record in chunk:
                row = list(record)
                for index, convert in converters:
                    row[index] = convert(row[index])
                yield row


@dataclass(frozen=True)
class StoredValues:
    """What the export's rows will hold, measured before reading them."""

    widths: dict[int, int]  # a text column's longest value, in UTF-8 bytes (0 when it has none), by column index
    codes: dict[int, list[str]]  # a code column's stored values that the survey no longer offers, by column index


def _octets(sql: str) -> str:
    """The length in bytes of the text `sql` gives (UTF-8 on both databases)."""
    if connection.vendor == "postgresql":
        return f"octet_length(CAST({sql} AS text))"
    return f"length(CAST(CAST({sql} AS text) AS blob))"


def _response_from(columns: Sequence[Column]) -> str:
    table = _tables()
    sql = f"FROM {table[Response]} r"
    if any(c.equality for c in columns):
        sql += f" LEFT JOIN {table[EqualityProfile]} e ON e.response_id = r.id"
    return sql + " WHERE r.survey_id = %s"


def _answers_from(question_ids: Sequence[int]) -> str:
    table = _tables()
    ids = ", ".join(str(int(i)) for i in question_ids)
    return f"FROM {table[Answer]} a LEFT JOIN {table[Choice]} c ON c.id = a.choice_id WHERE a.question_id IN ({ids})"


def _widths(survey: Survey, columns: Sequence[Column], question_ids: dict[str, int]) -> dict[int, int]:
    """Two aggregates: the longest value of each text column pivoted out of the answers (the longest answer of
    its question bounds it), and of each read from the response or its About you row (for a write-in kept in a
    JSON object, the object's own text bounds it)."""
    texts = [(i, c) for i, c in enumerate(columns) if c.kind == TEXT]
    widths = dict.fromkeys((i for i, _ in texts), 0)
    with connection.cursor() as cursor:
        for per_answer in (True, False):
            chosen = [(i, c) for i, c in texts if c.per_answer == per_answer]
            if not chosen:
                continue
            params: list[Any] = []
            select = []
            for _, column in chosen:
                select.append(f"MAX({_octets(column.answer_value_sql if per_answer else column.sql)})")
                params.extend(column.params)
            if per_answer:
                source = _answers_from(sorted({question_ids[c.question] for _, c in chosen}))
            else:
                source = _response_from([c for _, c in chosen])
                params.append(_survey_param(survey))
            cursor.execute(f"SELECT {', '.join(select)} {source}", params)
            for (index, _), longest in zip(chosen, cursor.fetchone(), strict=True):
                widths[index] = int(longest or 0)
    return widths


def _unoffered_codes(survey: Survey, columns: Sequence[Column], question_ids: dict[str, int]) -> dict[int, list[str]]:
    """One query: for each code column, the distinct stored values it would give that the survey does not offer.
    For a column pivoted out of the answers only its question's answers that are not one of its offered choices
    are read (the index on question and choice finds them)."""
    table = _tables()
    parts: list[str] = []
    params: list[Any] = []
    for index, column in enumerate(columns):
        if column.kind != CODE:
            continue
        offered = [value for value, _ in column.codes]
        if column.per_answer:
            question_id = question_ids[column.question]
            sql = f"SELECT DISTINCT {index}, {column.answer_value_sql} {_answers_from([question_id])}"
            params += column.params
            if offered:
                listed = ", ".join(["%s"] * len(offered))
                sql += (
                    f" AND (a.choice_id IS NULL OR a.choice_id NOT IN"
                    f" (SELECT id FROM {table[Choice]} WHERE question_id = %s AND value IN ({listed})))"
                )
                params += [question_id, *offered]
            parts.append(sql)
        else:
            parts.append(f"SELECT DISTINCT {index}, {column.sql} {_response_from(columns)}")
            params += [*column.params, _survey_param(survey)]
    found: dict[int, set[str]] = {}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for index, value in cursor.fetchall():
                if value is not None and value not in dict(columns[index].codes):
                    found.setdefault(index, set()).add(value)
    return {index: sorted(values) for index, values in found.items()}


def stored_values(*, survey: Survey, columns: Sequence[Column]) -> StoredValues:
    """What the rows of `columns` hold that the survey's structure does not say: each text column's longest value,
    and the values of code columns no longer offered (a choice removed, "Other" turned off after answers)."""
    keys = {c.question for c in columns if c.per_answer}
    question_ids = dict(Question.objects.filter(page__survey=survey, key__in=keys).values_list("key", "id"))
    return StoredValues(
        widths=_widths(survey, columns, question_ids), codes=_unoffered_codes(survey, columns, question_ids)
    )


@contextmanager
def one_snapshot() -> Iterator[None]:
    """Reads that all see the database as it was at the first of them, so that what `stored_values` measured still
    describes every row read after it. On PostgreSQL outside a transaction: one read-only REPEATABLE READ
    transaction. Elsewhere (SQLite, where a transaction would take the write lock for the whole export; or inside
    a caller's transaction) reads are as they come, and a row that outgrew the measure is refused, not cut."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
