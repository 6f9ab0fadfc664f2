"""A query run on every resident's request, compiled by the ORM once per database connection.

Building a queryset and compiling it to SQL costs far more processor time than running it: fetching a
survey by its slug took about 2 ms, of which running the SQL and making the model instance about
0.5 ms (PostgreSQL, benchmarks/journey.py's machine). `OneRow` asks the ORM for the SQL, the columns
and the converters of a fixed query the first time a connection runs it, and afterwards only adapts
the new values, runs the SQL and converts the row, as the ORM would: the same statement, the same
model instance (or values), on PostgreSQL and SQLite.

Only plain comparisons of a field with a value (`exact`, `gt`, `gte`, `lt`, `lte`) are supported, and
the first compilation checks that the values were adapted as the ORM adapted them.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.sql.compiler import SQLCompiler

LOOKUPS = frozenset({"exact", "gt", "gte", "lt", "lte"})


def _kept(connection: BaseDatabaseWrapper) -> dict["OneRow[Any]", "_Compiled"]:
    """What has been compiled for this connection object (each thread has its own), kept on the object
    itself so that it goes with it: a compiled query holds its connection, so a table keyed by connections
    (even weakly) would keep every thread's connection, open, for the life of the process."""
    kept = connection.__dict__.get(_KEPT)
    if kept is None:
        kept = connection.__dict__[_KEPT] = {}
    return kept


_KEPT = "_one_row_compiled"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    compiler: SQLCompiler
    converters: dict[int, Any]
    attnames: tuple[str, ...]


class OneRow[M: Model]:
    """`OneRow(Survey, "slug")`: `.get(slug)` is `Survey.objects.filter(slug=slug).first()`, without
    ordering (the lookups must pick one row at most, as a unique field does). With `values=("a", "b")`
    it gives the row's values, as `.values_list("a", "b")` would, instead of an instance."""

    def __init__(self, model: type[M], *lookups: str, values: tuple[str, ...] = ()) -> None:
        self.model = model
        self.lookups = lookups
        self.values = values
        self._fields: list[Field[Any, Any]] = []
        for lookup in lookups:
            name, _, kind = lookup.partition("__")
            if (kind or "exact") not in LOOKUPS:
                raise ValueError(f"OneRow supports only {sorted(LOOKUPS)}, not {lookup!r}")
            self._fields.append(model._meta.get_field(name))  # type: ignore[arg-type]

    def _queryset(self, using: str, values: tuple[Any, ...]) -> Any:
        queryset = self.model._default_manager.using(using)
        for lookup, value in zip(self.lookups, values, strict=True):
            queryset = queryset.filter(**{lookup: value})  # one filter each: the SQL's values in this order
        if self.values:
            queryset = queryset.values_list(*self.values)
        return queryset[:1]

    def _compile(
        self, connection: BaseDatabaseWrapper, using: str, values: tuple[Any, ...], params: list[Any]
    ) -> _Compiled:
        compiler = self._queryset(using, values).query.get_compiler(using=using)
        sql, compiled_params = compiler.as_sql()
        if list(compiled_params) != params:
            raise ValueError(f"OneRow({self.model.__name__}, {self.lookups}): the ORM adapted the values otherwise")
        expressions = [select[0] for select in compiler.select]
        attnames = tuple(expression.target.attname for expression in expressions)
        if not self.values and attnames != tuple(f.attname for f in self.model._meta.concrete_fields):
            raise ValueError(f"OneRow({self.model.__name__}): unexpected columns {attnames}")
        compiled = _Compiled(sql, compiler, compiler.get_converters(expressions), attnames)
        _kept(connection)[self] = compiled
        return compiled

    def _row(self, values: tuple[Any, ...]) -> tuple[str, _Compiled, tuple[Any, ...] | None]:
        if any(value is None for value in values):
            raise ValueError("OneRow compares with values, not None (the ORM would ask IS NULL)")
        using = router.db_for_read(self.model)
        connection = connections[using]
        params = [field.get_db_prep_value(value, connection) for field, value in zip(self._fields, values, strict=True)]
        compiled = _kept(connection).get(self) or self._compile(connection, using, values, params)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is not None and compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        return using, compiled, (tuple(row) if row is not None else None)

    def get(self, *values: Any) -> M | None:
        """The model instance, or None."""
        if self.values:
            raise TypeError("OneRow with values: use values_of()")
        using, compiled, row = self._row(values)
        if row is None:
            return None
        return self.model.from_db(using, list(compiled.attnames), row)

    def values_of(self, *values: Any) -> tuple[Any, ...] | None:
        """The row's values named in `values`, or None."""
        return self._row(values)[2]
