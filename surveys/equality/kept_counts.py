"""Consultation answers and respondents counted by About you characteristics once, kept, and brought up to date.

Counting every answer of a million responses by every characteristic takes seconds, and the equality
analysis did it on every reading. The counts are additive over respondents, so they are kept
(`EqualityAnswerCounts`, stored with the profiles they come from) for the profiles up to one id, and each
reading counts only the profiles after it, with the same statement. Before that, the profiles counted
are checked to be the same (how many, and a sum of a hash of their ids): a profile deleted, or committed
late below the id, since, and everything is counted again. The published snapshot's figures (profiles
up to an earlier id) are the kept counts less the few profiles between.

Erasure, deletion and the retention purge delete the survey's kept counts with the answers
(`kept_counts_forget`): a count is data about the people counted. The check sees only which profiles there
are, not what they say: profiles are never changed in place, and anything that changed one (a data
migration) would have to forget the survey's kept counts too.

Everything here (the lock on the kept counts, the last profile id, the fingerprints, the counting and
the write) is on one connection, the primary's, even inside a report whose reads the router sends to a
replica (config/db_router.py): a replica a moment behind gives a last profile id the counts kept may be
past already, and the newest responses would be left out of the figures.

Respondents counted by characteristics alone (the report's counts, the raking's cells) are kept the same
way (`kept_profile_counts`), and one reading (`one_reading`) checks the profiles they come from once.

Design: docs/decisions/0032-kept-counts-for-the-equality-analysis.md, 0039 (by raking cell) and 0042
(respondents, one reading).
"""

import dataclasses
import hashlib
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction

from surveys.models import EqualityAnswerCellCounts, EqualityAnswerCounts, EqualityProfile

Rows = list[tuple]
Counter = Callable[[str, list[Any]], tuple[Rows, Rows]]


def kept_counts_forget(*, survey_ids: Iterable[object]) -> int:
    """Delete the kept counts of these surveys (their answers were deleted or erased). Returns how many."""
    _, deleted = EqualityAnswerCounts.objects.filter(survey_id__in=list(survey_ids)).delete()
    return deleted.get(EqualityAnswerCounts._meta.label, 0)  # with their cells


# One reading (a page, a download, a command's output) runs several statements whose kept counts each check
# the same profiles: inside `one_reading()` the check of a survey's profiles up to one id is made once.
_READING: ContextVar[dict[tuple[Any, ...], tuple[int, int]] | None] = ContextVar("equality_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Everything counted inside is one reading: the profiles up to one id (how many, their fingerprint) are
    read once, not once per kept statement and published snapshot. Each statement is then what it would have
    been at the first check; a profile deleted (or committed late) after it is noticed by the next reading.
    Readings inside another are part of it. Also a decorator."""
    if _READING.get() is not None:
        yield
        return
    token = _READING.set({})
    try:
        yield
    finally:
        _READING.reset(token)


def _fingerprint(survey_condition: tuple[str, list[Any]], low: int, high: int) -> tuple[int, int]:
    """How many of the survey's profiles have an id in (low, high], and the sum of a hash of their ids."""
    reading = _READING.get()
    key = (survey_condition[0], *survey_condition[1], low, high)
    if low == 0 and reading is not None and key in reading:
        return reading[key]
    condition, params = survey_condition
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # From the (survey, id) index alone, on one core: for a survey that is most of the table the planner
        # would read the whole table in parallel, three processes' time for what the index gives in one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(hashint8(p.id)), 0) FROM {EqualityProfile._meta.db_table} p "
            f"WHERE {condition} AND p.id > %s AND p.id <= %s",
            [*params, low, high],
        )
        count, fingerprint = cursor.fetchone()
        cursor.execute("RESET max_parallel_workers_per_gather")
        cursor.execute("RESET enable_seqscan")
    if low == 0 and reading is not None:
        reading[key] = (int(count), int(fingerprint))
    return int(count), int(fingerprint)


def profiles_through(*, where: Any) -> int:
    """How many profiles of `where`'s survey have an id up to its `through_id` (read once per reading)."""
    survey_condition = dataclasses.replace(where, through_id=None).where("p")
    return _fingerprint(survey_condition, 0, int(where.through_id))[0]


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


def rows_in_order(rows: Rows) -> Rows:
    """Rows (values, then a count) in the order kept counts give them, counted again or not."""
    return _add([], rows)


def _sortable(values: tuple) -> tuple:
    return tuple((value is None, str(type(value)), value if value is not None else 0) for value in values)


def _open(where: Any, recipe: str) -> tuple[EqualityAnswerCounts, tuple[str, list[Any]], int, bool]:
    """The survey's entry for `recipe`, locked (inside the caller's transaction on the primary), checked to
    count the same profiles as when it was kept (otherwise emptied: `reset`), and the profile id a reading
    for `where` counts up to."""
    survey_condition = dataclasses.replace(where, through_id=None).where("p")
    key = hashlib.sha256(recipe.encode()).hexdigest()
    primary = connection.alias
    # One reader at a time brings a survey's counts up to date; the others wait, then read them.
    # The rows kept are left in the database until read (`_kept_rows`: a batch at a time) or added to.
    entries = EqualityAnswerCounts.objects.using(primary).select_for_update().defer(*_ROW_FIELDS)
    entry, _ = entries.get_or_create(survey_id=where.survey_id, key=key)
    reset = (entry.profiles, entry.fingerprint) != _fingerprint(survey_condition, 0, entry.through_profile_id)
    if reset:
        # A profile counted has gone, or one below the id arrived late: count everything again.
        entry.through_profile_id, entry.profiles, entry.fingerprint = 0, 0, 0
    last = (
        EqualityProfile.objects.using(primary)
        .filter(survey_id=where.survey_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0
    bound = last if where.through_id is None else min(int(where.through_id), last)
    return entry, survey_condition, bound, reset


def _advance(entry: EqualityAnswerCounts, bound: int, fingerprint: tuple[int, int]) -> None:
    entry.through_profile_id = bound
    entry.profiles += fingerprint[0]
    entry.fingerprint += fingerprint[1]


@contextmanager
def _brought_up_to_date[T](
    *,
    where: Any,
    recipe: str,
    count: Callable[[str, list[Any]], T],
    forget: Callable[[EqualityAnswerCounts], None],
    add: Callable[[EqualityAnswerCounts, T], None],
) -> Iterator[tuple[EqualityAnswerCounts, T | None]]:
    """What every kind of kept counts does: the entry for `recipe`, locked, checked, and brought up to date
    for `where` (a ProfileFilter on a whole survey, perhaps up to its published snapshot's id).

    `count(condition, params)` counts the profiles (`p`) matching the condition; `forget(entry)` empties
    what the entry keeps (its profiles are not those counted); `add(entry, counted)` adds the profiles
    counted since to what it keeps. Yields the entry, saved, and, for a published snapshot behind the
    counts kept, what `count` gave for the profiles between (to take away), or None. Stays inside the
    entry's transaction and lock while the caller reads (the counts are those of one moment)."""
    primary = connection.alias  # `count` and `_fingerprint` use it too
    with transaction.atomic(using=primary):
        entry, survey_condition, bound, reset = _open(where, recipe)
        if reset:
            forget(entry)
        changed = entry.through_profile_id == 0 or entry._state.adding
        fewer: T | None = None
        if bound > entry.through_profile_id:
            # The fingerprint first: a profile committed between the two statements is then counted but
            # not fingerprinted, and noticed next time, never the other way round.
            more = _fingerprint(survey_condition, entry.through_profile_id, bound)
            add(entry, count(*_between(survey_condition, entry.through_profile_id, bound)))
            _advance(entry, bound, more)
            changed = True
        elif bound < entry.through_profile_id:  # the published snapshot, a few profiles behind the counts kept
            fewer = count(*_between(survey_condition, bound, entry.through_profile_id))
        if changed:
            entry.save(using=primary)
        yield entry, fewer


_ROW_FIELDS = ("chosen", "answering", "respondents")
READ_ROWS = 2000  # kept rows decoded at a time


def _kept(entry: EqualityAnswerCounts, name: str) -> Rows:
    """The rows an entry keeps in its field `name`: as loaded if they were (added to), otherwise read from
    the database a batch of rows at a time, so that only a batch is ever decoded from JSON at once (a new
    object for every value of every row) rather than every row of the field."""
    if name not in entry.get_deferred_fields():
        return _rows(getattr(entry, name))
    rows: Rows = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT e::text FROM {EqualityAnswerCounts._meta.db_table}, jsonb_array_elements({name}) "
            "WITH ORDINALITY AS t(e, i) WHERE id = %s ORDER BY i",
            [entry.pk],
        )
        while batch := cursor.fetchmany(READ_ROWS):
            rows.extend(_rows(json.loads("[" + ",".join(text for (text,) in batch) + "]")))
    return rows


def _rows(kept: list[list[Any]]) -> Rows:
    """The rows kept (as decoded from JSON: a new string object for every value of every row) as tuples whose
    strings are shared (`sys.intern`): what is built from them (the raking's cells, a frame of objects) then
    holds each of a characteristic's few categories once rather than once per row."""
    intern = sys.intern
    return [tuple([intern(v) if type(v) is str else v for v in r]) for r in kept]


def _kept_rows(
    *, where: Any, recipe: str, count: Callable[[str, list[Any]], tuple[Rows, ...]], fields: tuple[str, ...]
) -> tuple[Rows, ...]:
    """The rows `count` gives for `where`, one list per field of the entry that keeps them (`fields`), from
    the rows kept and those of the profiles not yet counted."""

    def forget(entry: EqualityAnswerCounts) -> None:
        for name in fields:
            setattr(entry, name, [])

    def add(entry: EqualityAnswerCounts, counted: tuple[Rows, ...]) -> None:
        for name, rows in zip(fields, counted, strict=True):
            setattr(entry, name, [list(r) for r in _add(_rows(getattr(entry, name)), rows)])

    with _brought_up_to_date(where=where, recipe=recipe, count=count, forget=forget, add=add) as (entry, fewer):
        kept = tuple(_kept(entry, name) for name in fields)
        if fewer is not None:
            kept = tuple(_add(rows, between, -1) for rows, between in zip(kept, fewer, strict=True))
    return kept


def kept_counts(*, where: Any, recipe: str, count: Counter) -> tuple[Rows, Rows]:
    """The rows `count` would give for `where` (a ProfileFilter on a whole survey, perhaps up to its
    published snapshot's id), from the counts kept for `recipe` (the statement, less its condition),
    counting only the profiles not yet counted. `count(condition, params)` runs the statement for the
    profiles (`p`) matching the condition: chosen answers, and who answered, each row's count last."""
    chosen, answering = _kept_rows(where=where, recipe=recipe, count=count, fields=("chosen", "answering"))
    return chosen, answering


def kept_profile_counts(*, where: Any, recipe: str, count: Callable[[str, list[Any]], Rows]) -> Rows:
    """`kept_counts` for a statement that counts respondents (profiles) rather than answers: its rows, each
    a group's values and how many (decision 42)."""
    (rows,) = _kept_rows(
        where=where, recipe=recipe, count=lambda *matching: (count(*matching),), fields=("respondents",)
    )
    return rows


# Counts kept by raking cell (the weighted analysis, decision 39). A counting statement's rows are
# (cell, coordinate, count): the raking columns' values, what was counted within the cell (a grouping's
# values and an answer), and how many. They are kept one database row per cell, each a compact array of
# (coordinate number, count), the coordinates listed once in the entry: a million responses' cells would
# not fit in one value, and a reading streams them a few thousand cells at a time.
CellRow = tuple[tuple[Any, ...], tuple[Any, ...], int]
CellCounter = Callable[[str, list[Any]], Iterable[CellRow]]
_PAIR = np.dtype("<i4")
READ_CELLS = 5000  # cells per fetch when streaming (a few megabytes)
# Counts (coordinate and count pairs) per chunk read: a chunk of many respondents' cells holds more of them
# (about 60 a cell at a million responses), so a chunk ends here too, and its decoded arrays (three of
# 8 bytes a pair) stay about 1.5 MiB however many respond.
READ_PAIRS = 2**16
# Cells fetched from the database at a time while reading (a few hundred kilobytes of packed pairs at a
# million responses' 60 a cell).
FETCH_CELLS = 250


def cell_key(values: Iterable[Any]) -> str:
    """A cell's key: its raking columns' values as JSON (its order, code point by code point, is the order
    cells are read in, kept or not)."""
    return json.dumps(list(values), separators=(",", ":"))


@dataclass
class CellChunk:
    """Some cells' counts: `cells` (each cell's raking values, in key order), then per count its cell (a
    position in `cells`), its coordinate (a position in the coordinates) and how many."""

    cells: list[tuple[Any, ...]]
    cell: npt.NDArray[np.int64]
    coordinate: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]


class _Coordinates:
    """The coordinates counted, numbered in the order first seen."""

    def __init__(self, kept: Iterable[Iterable[Any]] = ()) -> None:
        self.values: list[tuple[Any, ...]] = [tuple(c) for c in kept]
        self.number = {c: i for i, c in enumerate(self.values)}

    def of(self, coordinate: tuple[Any, ...]) -> int:
        number = self.number.get(coordinate)
        if number is None:
            number = self.number[coordinate] = len(self.values)
            self.values.append(coordinate)
        return number


def _by_cell(rows: Iterable[CellRow], coordinates: _Coordinates) -> Iterator[tuple[str, dict[int, int]]]:
    """Rows (grouped by cell, as the statements order them) as each cell's key and counts by coordinate."""
    for values, group in itertools.groupby(rows, key=lambda row: row[0]):
        counts: dict[int, int] = {}
        for _, coordinate, n in group:
            number = coordinates.of(tuple(coordinate))
            counts[number] = counts.get(number, 0) + int(n)
        yield cell_key(values), counts


def _packed(counts: dict[int, int]) -> bytes:
    pairs = sorted((c, n) for c, n in counts.items() if n)
    return np.array(pairs, dtype=_PAIR).tobytes() if pairs else b""


def _unpacked(data: bytes | memoryview) -> npt.NDArray[np.int32]:
    return np.frombuffer(bytes(data), dtype=_PAIR).reshape(-1, 2)


def _chunk(cells: list[tuple[str, bytes | memoryview]]) -> CellChunk:
    """Cells (each its key and its packed pairs) as one chunk: their pairs decoded in one go."""
    sizes = [len(data) // (2 * _PAIR.itemsize) for _, data in cells]
    pairs = np.frombuffer(b"".join(data for _, data in cells), dtype=_PAIR).reshape(-1, 2)
    return CellChunk(
        [tuple(values) for values in json.loads("[" + ",".join(key for key, _ in cells) + "]")],  # one parse
        np.repeat(np.arange(len(cells), dtype=np.int64), sizes),
        pairs[:, 0].astype(np.int64),
        pairs[:, 1].astype(np.int64),
    )


@dataclass
class CellCounts:
    """Counts by cell, read inside `kept_cell_counts` or `cell_counts`: `coordinates` (a list of tuples),
    and `chunks()`, every cell in key order."""

    coordinates: list[tuple[Any, ...]]
    _chunks: Callable[[], Iterator[CellChunk]]

    def chunks(self) -> Iterator[CellChunk]:
        return self._chunks()


def cell_counts(rows: Iterable[CellRow]) -> CellCounts:
    """Counts by cell from a statement's rows in any order, counted again every time (not kept): in memory."""
    coordinates = _Coordinates()
    by_cell: dict[str, dict[int, int]] = {}
    for key, counts in _by_cell(sorted(rows, key=lambda row: cell_key(row[0])), coordinates):
        by_cell[key] = counts

    def chunks() -> Iterator[CellChunk]:
        keys = sorted(k for k, counts in by_cell.items() if any(counts.values()))
        for start in range(0, len(keys), READ_CELLS):
            yield _chunk([(k, _packed(by_cell[k])) for k in keys[start : start + READ_CELLS]])

    return CellCounts(coordinates.values, chunks)


_CELLS = EqualityAnswerCellCounts._meta.db_table


@contextmanager
def kept_cell_counts(*, where: Any, recipe: str, count: CellCounter) -> Iterator[CellCounts]:
    """`kept_counts` for a statement whose rows are counted by cell (`CellRow`s, grouped by cell): kept a
    row per cell, brought up to date as `kept_counts` does, and read, a few thousand cells at a time, while
    the entry stays locked (the counts are those of one moment)."""

    def forget(entry: EqualityAnswerCounts) -> None:
        EqualityAnswerCellCounts.objects.using(connection.alias).filter(entry_id=entry.pk).delete()
        entry.coordinates = []

    def add(entry: EqualityAnswerCounts, rows: Iterable[CellRow]) -> None:
        coordinates = _Coordinates(entry.coordinates)
        _merge(entry, _by_cell(rows, coordinates))
        entry.coordinates = [list(c) for c in coordinates.values]

    with _brought_up_to_date(where=where, recipe=recipe, count=count, forget=forget, add=add) as (entry, rows):
        coordinates = _Coordinates(entry.coordinates)
        fewer = {} if rows is None else dict(_by_cell(rows, coordinates))
        yield CellCounts(coordinates.values, lambda: _read(entry, dict(fewer)))


def _merge(entry: EqualityAnswerCounts, cells: Iterable[tuple[str, dict[int, int]]]) -> None:
    """Add the counts of some cells to those kept, a batch of cells at a time."""
    for batch in itertools.batched(cells, READ_CELLS):
        keys = [key for key, _ in batch]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT cell, counts FROM {_CELLS} WHERE entry_id = %s AND cell = ANY(%s)", [entry.pk, keys]
            )
            kept = {key: _unpacked(data) for key, data in cursor.fetchall()}
            rows = []
            for key, counts in batch:
                for number, n in kept.get(key, np.zeros((0, 2), dtype=_PAIR)).tolist():
                    counts[number] = counts.get(number, 0) + n
                if any(n < 0 for n in counts.values()):  # pragma: no cover - profiles never counted
                    raise RuntimeError("Kept equality counts went below zero.")
                rows.append((entry.pk, key, _packed(counts)))
            cursor.executemany(
                f"INSERT INTO {_CELLS} (entry_id, cell, counts) VALUES (%s, %s, %s) "
                "ON CONFLICT (entry_id, cell) DO UPDATE SET counts = EXCLUDED.counts",
                rows,
            )


def _read(entry: EqualityAnswerCounts, fewer: dict[str, dict[int, int]]) -> Iterator[CellChunk]:
    """The kept cells, in key order, less `fewer`'s counts; a cell left with none is left out."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(f'SELECT cell, counts FROM {_CELLS} WHERE entry_id = %s ORDER BY cell COLLATE "C"', [entry.pk])
        cells: list[tuple[str, bytes | memoryview]] = []
        held = 0  # the pairs of the cells in `cells`
        while batch := cursor.fetchmany(min(READ_CELLS, FETCH_CELLS)):
            for key, data in batch:  # each cell's pairs packed as kept (decoded a chunk at a time)
                if key in fewer:
                    pairs = _unpacked(data)
                    counts = dict(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True))
                    for number, n in fewer.pop(key).items():
                        counts[number] = counts.get(number, 0) - n
                    if any(n < 0 for n in counts.values()):  # pragma: no cover - profiles never counted
                        raise RuntimeError("Kept equality counts went below zero.")
                    data = _packed(counts)
                if len(data):
                    cells.append((key, data))
                    held += len(data) // (2 * _PAIR.itemsize)
                    if len(cells) >= READ_CELLS or held >= READ_PAIRS:
                        chunk, cells, held = _chunk(cells), [], 0  # the packed pairs let go while it is read
                        yield chunk
        if cells:
            chunk, cells = _chunk(cells), []
            yield chunk
    if fewer:  # pragma: no cover - profiles never counted
        raise RuntimeError("Kept equality counts went below zero.")
