"""A survey's responses as export rows, pivoted in the database and read a chunk at a time.

The answers are pivoted to one row per response by one GROUP BY (`columns` gives each column's SQL), so
the database does the work and Python only formats rows; on PostgreSQL the rows come through a server-side
cursor, so no export holds every row in memory. The same SQL serves `benchmarks/export.py`'s COPY baseline.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from surveys.exports.columns import DATE, DATETIME, FLAG, NUMBER, Column
from surveys.models import Answer, Choice, EqualityProfile, Page, Question, Response, Survey

CHUNK = 2000


def export_sql(*, survey: Survey, columns: Sequence[Column]) -> tuple[str, list[Any]]:
    """The query giving one row per response of `survey`, the values of `columns` in order, oldest first."""
    table = {
        m: connection.ops.quote_name(m._meta.db_table)
        for m in (Answer, Choice, EqualityProfile, Page, Question, Response)
    }
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
