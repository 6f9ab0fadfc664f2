"""New rows written from their values, without a model instance or the ORM's insert compiler.

Sending a response (surveys/services.py: its row, answers and About you row) and loading census
baselines (representativeness/services/baselines.py) insert rows: the ORM's `bulk_create` spent about a
tenth of a millisecond per row making instances and compiling the statement before the database saw it
(docs/decisions/0035, 0038, 0044).
Each value is still prepared by its field for the database in use (UUIDs, dates, time zones, JSON).
"""

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import CharField, DateField, DateTimeField, Field, Model, TextField
from django.db.models.fields import AutoFieldMixin


@functools.cache
def _insert_fields(model: type[Model]) -> tuple[Field, ...]:
    """The fields a new row of `model` is inserted with, in order: all but an auto-increment key."""
    return tuple(f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin))


# The fields' own `pre_save`s that give the value as it is unless asked to work it out (`auto_now`).
_PLAIN_PRE_SAVE = {Field.pre_save, DateField.pre_save, DateTimeField.pre_save}


@functools.cache
def _values_fields(model: type[Model]) -> tuple[Field, ...]:
    """`_insert_fields`, checked to take their value as given: a field that works out its own as it is
    saved (`auto_now`, a field type with its own `pre_save`) needs an instance (the ORM's `save`)."""
    fields = _insert_fields(model)
    for f in fields:
        plain = type(f).pre_save in _PLAIN_PRE_SAVE and not getattr(f, "auto_now", False)
        if not plain or getattr(f, "auto_now_add", False):
            raise TypeError(f"{model.__name__}.{f.name} works out its value as it is saved: insert an instance")
    return fields


def new_row(model: type[Model], **values: Any) -> list[Any]:
    """A new row's values for `values_insert`, by attribute name (`question_id`), as the model's
    constructor takes them: a field not given takes its default."""
    row = [
        values.pop(name) if name in values else (f.get_default() if default is _WORKED_OUT else default)
        for f, name, default in _row_defaults(model)
    ]
    if values:
        raise TypeError(f"{model.__name__} has no field {next(iter(values))!r} to insert")
    return row


_WORKED_OUT = object()


def new_rows(model: type[Model], **shared: Any) -> Callable[..., list[Any]]:
    """`new_row(model, **shared, **values)` for many rows that share `shared` (an answer's response): the
    shared values and the defaults are put in a row once, and each row is a copy of it with its own
    `values` put in, where `new_row` looks every field up for every row. A model with a default worked
    out per row (a function, a dict) gets `new_row` itself, so that no two rows share one."""
    if any(default is _WORKED_OUT for _, _, default in _row_defaults(model)):
        return functools.partial(new_row, model, **shared)
    template = new_row(model, **shared)
    positions = _positions(model)

    def row(**values: Any) -> list[Any]:
        made = template.copy()
        for name, value in values.items():
            position = positions.get(name)
            if position is None:
                raise TypeError(f"{model.__name__} has no field {name!r} to insert")
            made[position] = value
        return made

    return row


@functools.cache
def _positions(model: type[Model]) -> dict[str, int]:
    """Where each of `_values_fields(model)` is in a row, by attribute name."""
    return {name: i for i, (_, name, _) in enumerate(_row_defaults(model))}


@functools.cache
def _row_defaults(model: type[Model]) -> tuple[tuple[Field, str, Any], ...]:
    """Each of `_values_fields(model)` with its attribute name and its default where that is always the same
    value that cannot be changed in place (None, "" when a field has none; a number or string given as
    its default): worked out once, where a field's `get_default()` on every row of every response cost
    more than the row's other values. Any other default (a function, a dict) is `_WORKED_OUT` per row."""
    fields = []
    for f in _values_fields(model):
        constant = not f.has_db_default() and (
            not f.has_default() or (not callable(f.default) and type(f.default) in _CONSTANT_TYPES)
        )
        fields.append((f, f.attname, f.get_default() if constant else _WORKED_OUT))
    return tuple(fields)


_CONSTANT_TYPES = frozenset({type(None), bool, int, str})


# Values that prepare for the database alike whenever they are equal and of the same type.
_PLAIN_TYPES = frozenset({type(None), bool, int, str, uuid.UUID})
# Of those, the ones whose preparation is kept from statement to statement (`_kept_prepared`): keys and
# flags (an answer's question and choice ids), which recur from response to response. Never text: a
# resident's short write-in, postcode or About you answer is not held in the process's memory after the
# statement that writes it (special category data is kept only where it is stored). A UUID (a
# response's own key) seldom recurs. Both are prepared once per statement only.
_KEPT_TYPES = frozenset({type(None), bool, int})
_KEPT_MOST = 4096


@functools.cache
def _kept_prepared(alias: str, model: type[Model]) -> dict[tuple[int, type, Any], Any]:
    """Ids and flags of `model`'s fields as prepared for the database `alias`, by field, type and value, kept
    for the process (emptied when it holds `_KEPT_MOST`): an answer's question and choice ids recur
    from response to response, and preparing each afresh (about 2 microseconds) was a tenth of sending's
    time in Python (docs/decisions/0044). A field prepares such a value alike every time (the premise of
    preparing it once per statement, decision 38), on every connection to the same database."""
    return {}


def values_insert(model: type[Model], rows: list[list[Any]], *, cursor: CursorWrapper | None = None) -> str:
    """INSERT new rows of `model`, each its values in `_insert_fields` order, in one statement per 100
    rows; returns the database's alias.

    Each field prepares its value for the database as in any save (`get_db_prep_save`: UUIDs, dates,
    time zones, decimals, JSON, per database); expressions are refused and no signals are sent (none
    are connected for a response's rows). An answer's question, response and choice repeat from row
    to row: a value of a plain type is prepared once per field and statement, or per process
    (`_kept_prepared`). The ORM's insert
    compiler spent about a tenth of a millisecond per row before the database saw it, most of
    sending's time (docs/decisions/0035, 0038). `cursor`: one of the model's database the caller has
    open for several statements (sending's), instead of one opened for this."""
    connection = connections[router.db_for_write(model)]
    insert, placeholders = _insert_sql(model, connection)
    prepared: dict[tuple[int, type, Any], Any] = {}
    with _cursor(connection, cursor) as open_cursor:
        for start in range(0, len(rows), 100):
            batch = rows[start : start + 100]
            params = _prepared(model, batch, connection, prepared)
            open_cursor.execute(insert + "VALUES " + ", ".join([placeholders] * len(batch)), params)
    return connection.alias


def _cursor(connection: BaseDatabaseWrapper, cursor: CursorWrapper | None) -> AbstractContextManager[Any]:
    """`cursor` as it is, left open, if given (it must be `connection`'s); otherwise a new one, closed after."""
    if cursor is None:
        return connection.cursor()
    if cursor.db is not connection:
        raise ValueError(f"A cursor of {cursor.db.alias!r} cannot write to {connection.alias!r}")
    return nullcontext(cursor)


def row_insert_where(
    model: type[Model],
    row: list[Any],
    *,
    source: type[Model],
    where: str,
    params: list[Any],
    cursor: CursorWrapper | None = None,
) -> bool:
    """INSERT one new row of `model` (its values as for `values_insert`) only if a row of `source`
    meets `where` (SQL over `source`'s table, with `params` already prepared for the database): one
    statement, `INSERT ... SELECT ... FROM source WHERE ...`, so the condition is decided as the row is
    written. `where` must select at most one row of `source` (its primary key, say). Returns whether the
    row was inserted; a unique constraint refusing it raises, as for `values_insert`. `cursor`: as for
    `values_insert`."""
    connection = connections[router.db_for_write(model)]
    insert, placeholders = _insert_sql(model, connection)
    table = connection.ops.quote_name(source._meta.db_table)
    sql = f"{insert}SELECT {placeholders[1:-1]} FROM {table} WHERE {where}"
    with _cursor(connection, cursor) as open_cursor:
        open_cursor.execute(sql, [*_prepared(model, [row], connection, {}), *params])
        return int(open_cursor.rowcount) == 1


def _prepared(
    model: type[Model],
    rows: list[list[Any]],
    connection: BaseDatabaseWrapper,
    prepared: dict[tuple[int, type, Any], Any],
) -> list[Any]:
    """The rows' values, one after another, each prepared by its field for `connection` (`get_db_prep_save`);
    a value of a plain type once per field: for the process (`_kept_prepared`), or in `prepared` for
    the statement."""
    fields = _insert_fields(model)
    as_given = _text_as_given(model)
    kept = _kept_prepared(connection.alias, model)
    if len(kept) >= _KEPT_MOST:
        kept.clear()
    params: list[Any] = []
    append = params.append
    # Each column's value in the row before, and as prepared: a value that is the very same object as the
    # one above it (the response's key on each of its answers, a None, an empty text) is not looked up.
    above: list[Any] = [_UNPREPARED] * len(fields)
    above_ready: list[Any] = [None] * len(fields)
    for row in rows:
        if len(row) != len(fields):
            raise ValueError(f"{model.__name__}: {len(row)} values for {len(fields)} fields")
        for i, value in enumerate(row):
            if value is above[i]:
                append(above_ready[i])
                continue
            kind = type(value)
            if kind is str and as_given[i]:
                ready = value
            elif kind in _PLAIN_TYPES:
                key = (i, kind, value)
                known = kept if kind in _KEPT_TYPES else prepared
                ready = known.get(key, _UNPREPARED)  # one look-up: hashing a UUID is not free
                if ready is _UNPREPARED:
                    ready = known[key] = fields[i].get_db_prep_save(value, connection)
            elif kind is dt.datetime and type(fields[i]) is DateTimeField:
                ready = moment_prepared(fields[i], value, connection)
            elif hasattr(value, "resolve_expression"):
                raise TypeError(f"{model.__name__}.{fields[i].name}: an expression cannot be inserted here")
            else:
                ready = fields[i].get_db_prep_save(value, connection)
            append(ready)
            above[i], above_ready[i] = value, ready
    return params


_UNPREPARED = object()


def moment_prepared(field: Field, value: dt.datetime, connection: BaseDatabaseWrapper) -> Any:
    """A moment as `field`, a DateTimeField, prepares it for `connection` (its time zone, and on SQLite its text),
    prepared once for the few moments last asked: a response's time is written with the response, with
    its About you row, and compared with the survey's dates as the response is written. Every
    DateTimeField prepares a moment alike (`get_prep_value` and the database's `adapt_datetimefield_value`
    take nothing from the field but its value)."""
    key = (connection.alias, value)
    ready = _MOMENTS.get(key, _UNPREPARED)
    if ready is _UNPREPARED:
        if len(_MOMENTS) >= 16:
            _MOMENTS.clear()
        ready = _MOMENTS[key] = field.get_db_prep_save(value, connection)
    return ready


_MOMENTS: dict[tuple[str, dt.datetime], Any] = {}


@functools.cache
def _text_as_given(model: type[Model]) -> tuple[bool, ...]:
    """For each of `_insert_fields(model)`, whether it is a plain CharField or TextField, which prepares a
    string for any database as the string itself (`get_prep_value` gives a `str` back as it is, and no
    backend adapts text): its strings are passed as they are, not prepared one by one. Any subclass (an
    email, a slug, a field of the project's own) is prepared by its field as usual."""
    return tuple(type(f) in (CharField, TextField) for f in _insert_fields(model))


def _insert_sql(model: type[Model], connection: BaseDatabaseWrapper) -> tuple[str, str]:
    """`INSERT INTO table (columns) ` for `_insert_fields(model)`, and one row's placeholders in brackets:
    made once per model and kind of database (its quoting)."""
    key = (model, connection.vendor)
    if key not in _INSERT_SQL:
        quote = connection.ops.quote_name
        fields = _insert_fields(model)
        columns = ", ".join(quote(f.get_attname_column()[1] or f.attname) for f in fields)
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        _INSERT_SQL[key] = (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) ", placeholders)
    return _INSERT_SQL[key]


_INSERT_SQL: dict[tuple[type[Model], str], tuple[str, str]] = {}
