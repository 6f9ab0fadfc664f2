"""Answers counted by group (and by weight, when weighted), counted by the database.

`answer_cells_by_groupings` counts, in the database, the respondents of every combination of each
characteristic's columns who chose each answer (GROUPING SETS on PostgreSQL). Here those counts
become, per question and characteristic, a small table of respondents by group and answer. Nothing
here reads a single response.

Weighted, the answers are counted by raking cell (`answer_counts_by_cell`: every combination of the
raking columns' values, and within it by each characteristic's other columns and the answer). Everyone
in a cell carries the same weight, so each cell's counts, times its weight and its weight squared, add
up to the sums a weighted share, Kish's effective size and the Rao-Scott test need: per question,
characteristic, group and answer, the respondents, the sum of their weights and of their squared
weights, whatever the number of responses. The cells are read a few thousand at a time.

The analysis is a few hundred such tables, whatever the number of responses, so each characteristic's
counts are labelled with their item and answer column once and added up with numpy, rather than
selected, grouped and reshaped with pandas once per item.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from representativeness.equality_analysis.characteristics import NOT_STATED, Characteristic
from representativeness.equality_analysis.items import NOT_SELECTED, Item
from representativeness.weighting import RakedSurvey
from surveys.equality.kept_counts import CellChunk
from surveys.equality.selectors import (
    ANSWERING,
    CHOSEN,
    COUNT,
    AgeBand,
    ProfileFilter,
    answer_cells_by_groupings,
    answer_counts_by_cell,
    equality_counts,
)


@dataclass(frozen=True)
class WeightedSums:
    """One item's weighted counts, laid out as its grid: by group (then NOT_STATED) and answer column, the
    sum of the respondents' weights and the sum of their squared weights. With the grid's respondents,
    all a weighted share, Kish's effective size and the Rao-Scott test need."""

    weights: np.ndarray
    squares: np.ndarray


@dataclass(frozen=True)
class ItemCounts:
    """One item's respondents by one characteristic's groups."""

    # Respondents by group (the characteristic's groups, then NOT_STATED) and answer column (the item's).
    grid: pd.DataFrame
    weighted: WeightedSums | None = None  # weighted only


@dataclass(frozen=True)
class _Layout:
    """Every item's answer columns side by side: where each chosen answer is counted."""

    columns: list[str]  # every item's columns, item after item
    starts: list[int]  # where each item's columns start (and, last, where they end)
    position_of: dict[tuple[object, object, object], int]  # (question, grid row, choice) -> column
    multiple: dict[tuple[object, object], int]  # (question, grid row) -> item, for multiple choice

    @classmethod
    def of(cls, items: Sequence[Item]) -> "_Layout":
        columns: list[str] = []
        starts: list[int] = []
        position_of: dict[tuple[object, object, object], int] = {}
        multiple: dict[tuple[object, object], int] = {}
        for index, item in enumerate(items):
            starts.append(len(columns))
            for choice_id, column in item.column_of_choice.items():
                position_of[(item.question_id, item.grid_row_id, choice_id)] = len(columns) + item.columns.index(column)
            columns += item.columns
            if item.multiple:
                multiple[(item.question_id, item.grid_row_id)] = index
        return cls(columns, [*starts, len(columns)], position_of, multiple)


def _row_id(value: object) -> object:
    """A grid row's id as a key: None for a question that is not a grid (null, or NaN in a float column)."""
    return None if value is None or value != value else value


def _groups(frame: pd.DataFrame, characteristic: Characteristic) -> list[str]:
    """Each row's group (NOT_STATED where the characteristic was not answered), worked out once per
    combination of the characteristic's columns."""
    keys = list(zip(*(frame[column].tolist() for column in characteristic.columns), strict=True))
    mapping = {key: characteristic.group_of(tuple(None if pd.isna(v) else v for v in key)) for key in set(keys)}
    return [mapping[key] for key in keys]


def analysis_cells(
    *,
    where: ProfileFilter,
    characteristics: Sequence[Characteristic],
    items: Sequence[Item],
    age_bands: Sequence[AgeBand],
    raked: RakedSurvey | None,
) -> dict[str, list[ItemCounts]]:
    """For each characteristic (by slot) and item, respondents by group and answer column, and, weighted,
    the sums of their weights too. One pass over the answers on PostgreSQL, whatever the number of
    characteristics; weighted, one pass over the counts kept by raking cell."""
    if raked is not None:
        return _weighted_analysis_cells(where, characteristics, items, age_bands, raked)
    # A characteristic's broad and detailed groups are read from the same columns: counted once.
    groupings = list(dict.fromkeys(tuple(c.columns) for c in characteristics))
    frames = dict(
        zip(
            groupings,
            answer_cells_by_groupings(
                where=where,
                groupings=[list(g) for g in groupings],
                age_bands=age_bands,
                multiple_choice_ids=[item.question_id for item in items if item.multiple],
            ),
            strict=True,
        )
    )
    layout = _Layout.of(items)
    counts: dict[str, list[ItemCounts]] = {}
    for characteristic in characteristics:
        chosen, answering = frames[tuple(characteristic.columns)]
        chosen_groups, answering_groups = _groups(chosen, characteristic), _groups(answering, characteristic)
        # Where each chosen answer is counted, and which multiple-choice item each respondent answered.
        chosen_at = np.array(
            [
                layout.position_of.get((question, _row_id(row), choice), -1)
                for question, row, choice in zip(
                    chosen["question_id"], chosen["grid_row_id"], chosen["choice_id"], strict=True
                )
            ],
            dtype=np.int64,
        )
        answered_item = np.array(
            [
                layout.multiple.get((question, _row_id(row)), -1)
                for question, row in zip(answering["question_id"], answering["grid_row_id"], strict=True)
            ],
            dtype=np.int64,
        )
        grids = _grids(
            characteristic,
            items,
            layout,
            (chosen_groups, chosen_at, chosen[COUNT]),
            (answering_groups, answered_item, answering["answering"]),
        )
        counts[characteristic.slot] = [ItemCounts(grid) for grid in grids]
    return counts


def stated_counts(
    *, where: ProfileFilter, characteristics: Sequence[Characteristic], age_bands: Sequence[AgeBand]
) -> dict[str, dict[str, int]]:
    """For each characteristic (by slot), how many respondents are in each of its groups, whether or not
    they answered any question: the report's counts, which every question's "answered" is part of. One
    count per set of profile columns (a characteristic's broad and detailed groups share theirs), all in one
    statement."""
    groupings = list(dict.fromkeys(c.columns for c in characteristics))
    cells = dict(zip(groupings, equality_counts(where=where, groupings=groupings, age_bands=age_bands), strict=True))
    result: dict[str, dict[str, int]] = {}
    for characteristic in characteristics:
        frame = cells[characteristic.columns]
        totals = dict.fromkeys(characteristic.groups, 0)
        for group, count in zip(_groups(frame, characteristic), frame[COUNT].tolist(), strict=True):
            if group in totals:
                totals[group] += int(count)
        result[characteristic.slot] = totals
    return result


class _CellColumns:
    """Each raking column's values in the cells as small integer codes, the same in every chunk of cells
    (a value's code is its position in `values`), so that what depends on a few of a cell's values is
    worked out once per combination of them rather than once per cell."""

    def __init__(self, width: int) -> None:
        self.codes: list[dict[object, int]] = [{} for _ in range(width)]
        self.values: list[list[object]] = [[] for _ in range(width)]

    def of(self, cells: list[tuple[object, ...]]) -> np.ndarray:
        """The cells' codes: a row per cell, a column per raking column."""
        coded = np.zeros((len(cells), len(self.codes)), dtype=np.int64)
        for j, column in enumerate(zip(*cells, strict=True)):
            codes, values = self.codes[j], self.values[j]
            for value in dict.fromkeys(column):
                if value not in codes:
                    codes[value] = len(values)
                    values.append(value)
            coded[:, j] = np.fromiter(map(codes.__getitem__, column), dtype=np.int64, count=len(cells))
        return coded


def _unique_rows(matrix: np.ndarray) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """The distinct rows of a matrix of small non-negative integers (in order), and each row's position
    among them: as numpy's unique by rows, but on one integer per row."""
    if matrix.shape[1] == 0 or not len(matrix):
        return ([()] if len(matrix) else []), np.zeros(len(matrix), dtype=np.int64)
    sizes = [int(n) + 1 for n in matrix.max(axis=0)]
    if math.prod(sizes) >= 2**63:  # pragma: no cover - more combinations than one integer holds
        unique, inverse = np.unique(matrix, axis=0, return_inverse=True)
        return [tuple(row) for row in unique.tolist()], inverse.reshape(-1)
    key = np.ravel_multi_index(tuple(matrix.T), sizes)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return [tuple(row) for row in matrix[first].tolist()], inverse.reshape(-1)


class _Combinations:
    """Codes for the combinations of some raking columns' values (`columns`: their positions in the cell),
    the same in every chunk; `values[code]` is a combination's values."""

    def __init__(self, columns: list[int], cell_columns: _CellColumns) -> None:
        self.columns, self.cell_columns = columns, cell_columns
        self.code: dict[tuple[int, ...], int] = {}
        self.values: list[tuple[object, ...]] = []

    def of(self, coded: np.ndarray) -> np.ndarray:
        """Each cell's combination's code (`coded`: the cells' `_CellColumns.of`)."""
        unique, inverse = _unique_rows(coded[:, self.columns])
        return np.array([self._code(key) for key in unique], dtype=np.int64)[inverse]

    def _code(self, key: tuple[int, ...]) -> int:
        code = self.code.get(key)
        if code is None:
            code = self.code[key] = len(self.values)
            values = self.cell_columns.values
            self.values.append(tuple(values[c][v] for c, v in zip(self.columns, key, strict=True)))
        return code


class _CellWeights:
    """The weight of everyone in a cell (its raking columns' values), as it was raked: each characteristic
    raked on is labelled as it was raked once per combination of the columns its label is read from
    (`RakedSurvey.label_columns`), and each combination of labels' weight looked up (as
    `RakeResult.weights_for` does) once per chunk of cells, rather than once per cell.

    The raked cells are held as numbers, a few bytes each: each characteristic's labels coded (in the
    order first seen, a missing label as None), each raked combination of them one integer, sorted, with
    its weight (the first raked cell's, where cells repeat a combination). A chunk's combinations of
    labels are found among them by a binary search."""

    def __init__(self, raking: list[str], raked: RakedSurvey, cell_columns: _CellColumns) -> None:
        self.raking, self.raked, self.used = raking, raked, list(raked.rake.used_columns)
        cells = raked.rake.cells
        factors = cells["weight"].to_numpy() / cells["base_weight"].to_numpy()
        self.everyone = float(factors[0]) if len(factors) else 1.0  # nothing raked: one weight for all
        # Per characteristic: its labels in the raked cells (label -> code), and the raked combinations'.
        self.code_of: list[dict[object, int]] = []
        key = np.zeros(len(cells), dtype=np.int64)
        for column in self.used:
            code_of: dict[object, int] = {}
            values = _values(cells[column])
            codes = np.fromiter(
                (code_of.setdefault(v, len(code_of)) for v in values), dtype=np.int64, count=len(values)
            )
            self.code_of.append(code_of)
            if math.prod(len(c) for c in self.code_of) >= 2**63:  # pragma: no cover - census labels are few
                raise ValueError("Too many combinations of raked labels to number.")
            key = key * len(code_of) + codes
        # The combinations raked, in order, and each one's weight (where a combination repeats, its first).
        self.keys, first = np.unique(key, return_index=True)
        self.factors = factors[first]
        self.sources = [
            _Combinations([raking.index(c) for c in raked.label_columns(key)], cell_columns) for key in self.used
        ]
        # Per characteristic: the code of the label of each of its sources' combinations (-1: a label not
        # raked, which no cell counted has).
        self.label_of: list[np.ndarray] = [np.zeros(0, dtype=np.int64) for _ in self.used]

    def __call__(self, cells: list[tuple[object, ...]], coded: np.ndarray) -> np.ndarray:
        if not self.used:
            return np.full(len(cells), self.everyone)
        sources = [source.of(coded) for source in self.sources]
        self._label(cells, sources)
        key = np.zeros(len(cells), dtype=np.int64)
        unknown = np.zeros(len(cells), dtype=bool)
        for label_of, codes, code_of in zip(self.label_of, sources, self.code_of, strict=True):
            labels = label_of[codes]
            unknown |= labels < 0
            key = key * len(code_of) + labels
        at = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        missing = unknown | (self.keys[at] != key)
        if missing.any():  # pragma: no cover - the cells raked are those counted
            raise ValueError(f"A combination was not among the raked cells: {cells[int(np.argmax(missing))]}")
        return self.factors[at]

    def _label(self, cells: list[tuple[object, ...]], sources: list[np.ndarray]) -> None:
        """Label the sources' combinations not seen before: a cell of each, labelled as the raking did."""
        new: dict[int, list[tuple[int, int]]] = {}  # a cell -> (characteristic, its new combination)
        for k, (codes, label_of) in enumerate(zip(sources, self.label_of, strict=True)):
            unseen = np.flatnonzero(codes >= len(label_of))
            if len(unseen):
                combinations, first = np.unique(codes[unseen], return_index=True)
                for code, index in zip(combinations.tolist(), unseen[first].tolist(), strict=True):
                    new.setdefault(index, []).append((k, code))
        if not new:
            return
        rows = list(new)
        frame = pd.DataFrame([cells[i] for i in rows], columns=self.raking, dtype=object)
        labelled = self.raked.labelled(frame)[self.used]
        columns = [_values(labelled[column]) for column in self.used]
        for row, index in enumerate(rows):
            for k, code in new[index]:
                label_of = self.label_of[k]
                if code >= len(label_of):
                    label_of = self.label_of[k] = np.concatenate(
                        [label_of, np.full(code + 1 - len(label_of), -1, dtype=np.int64)]
                    )
                label_of[code] = self.code_of[k].get(columns[k][row], -1)


def _values(column: pd.Series) -> list[object]:
    """A column's values, a missing one (None or NaN) as None."""
    return column.astype(object).where(column.notna(), None).tolist()


_UNKNOWN = -2  # a group row not yet worked out


@dataclass
class _Split:
    """How one characteristic's groups are read from a cell's counts: its columns counted beside the raking
    columns (in the coordinate) and those that are raking columns (in the cell)."""

    characteristic: Characteristic
    grouping: int  # which of the counted groupings holds its other columns
    offset: int  # where its (group, answer column) counts start
    in_coordinate: list[int]  # for each of its columns, where in the coordinate's values, or -1
    in_cell: list[int]  # for each of its columns, where in the cell, or -1
    cell_part: _Combinations  # its raking columns' values (in_cell's, in its order)
    coordinate_code: np.ndarray  # per coordinate, a code of its values of the other columns (-1: another grouping)
    coordinate_values: list[tuple[object, ...]]
    # The group row (-1 for none) of each coordinate code and cell part's code, worked out when first seen.
    table: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    def __post_init__(self) -> None:
        self.row_of = {group: index for index, group in enumerate([*self.characteristic.groups, NOT_STATED])}
        # For each of its columns, where in the cell's part (its raking columns' values, in its order), or -1.
        raking_columns = [i for i in self.in_cell if i >= 0]
        self.in_cell_part = [raking_columns.index(i) if i >= 0 else -1 for i in self.in_cell]
        self.table = np.zeros((len(self.coordinate_values), 0), dtype=np.int64)

    def rows(self, coordinate_codes: np.ndarray, cell_codes: np.ndarray) -> np.ndarray:
        """The group row (-1 for none) of each count, from its coordinate's and its cell part's codes."""
        known = self.table.shape[1]
        if len(self.cell_part.values) > known:
            self.table = np.hstack(
                [self.table, np.full((len(self.table), len(self.cell_part.values) - known), _UNKNOWN, dtype=np.int64)]
            )
        rows = self.table[coordinate_codes, cell_codes]
        unknown = rows == _UNKNOWN
        if unknown.any():
            pairs, _ = _unique_rows(np.column_stack([coordinate_codes[unknown], cell_codes[unknown]]))
            for mine, theirs in pairs:
                self.table[mine, theirs] = self._row(mine, theirs)
            rows = self.table[coordinate_codes, cell_codes]
        return rows

    def _row(self, coordinate_code: int, cell_code: int) -> int:
        mine, theirs = self.coordinate_values[coordinate_code], self.cell_part.values[cell_code]
        values = tuple(mine[at] if at >= 0 else theirs[self.in_cell_part[i]] for i, at in enumerate(self.in_coordinate))
        return self.row_of.get(self.characteristic.group_of(values), -1)


class _WeightedSums:
    """Respondents, weights and squared weights by characteristic, group and answer column, added up a chunk
    of cells at a time: in each cell, the counts are added up by (group, answer column) first, as integers,
    then times the cell's weight and its square, cell after cell in key order. The sums are the same
    whatever the chunks and however the counts were kept."""

    BLOCK = 1 << 17  # (cell, group and answer column) totals worked out at once: 1 MiB

    def __init__(
        self,
        characteristics: Sequence[Characteristic],
        items: Sequence[Item],
        raking: list[str],
        groupings: list[tuple[str, ...]],
        grouping_of: dict[str, int],
        coordinates: list[tuple[object, ...]],
        cell_columns: _CellColumns,
    ) -> None:
        self.items, self.layout = items, _Layout.of(items)
        width = len(self.layout.columns)
        # Per coordinate: its grouping; where a chosen answer is counted; the 'not selected' column it takes
        # one from (multiple choice); which multiple-choice item an answering count is of.
        self.grouping = np.array([c[1] for c in coordinates], dtype=np.int64)
        position = np.full(len(coordinates), -1, dtype=np.int64)
        not_selected = np.full(len(coordinates), -1, dtype=np.int64)
        answered_item = np.full(len(coordinates), -1, dtype=np.int64)
        self.not_selected_of_item: dict[int, list[int]] = {}
        not_selected_at: dict[int, int] = {}
        for index in self.layout.multiple.values():
            start, item = self.layout.starts[index], self.items[index]
            pairs = [
                (start + item.columns.index(o.column), start + item.columns.index(f"{o.column}: {NOT_SELECTED}"))
                for o in item.outcomes
            ]
            not_selected_at.update(pairs)
            self.not_selected_of_item[index] = [n for _, n in pairs]
        for k, coordinate in enumerate(coordinates):
            question, row, choice = coordinate[-3:]
            if coordinate[0] == CHOSEN:
                position[k] = self.layout.position_of.get((question, _row_id(row), choice), -1)
                not_selected[k] = not_selected_at.get(int(position[k]), -1)
            elif coordinate[0] == ANSWERING:
                answered_item[k] = self.layout.multiple.get((question, _row_id(row)), -1)
        self.position, self.not_selected, self.answered_item = position, not_selected, answered_item
        self.splits: list[_Split] = []
        parts: dict[tuple[int, ...], _Combinations] = {}  # characteristics on the same raking columns share one
        offset = 0
        for characteristic in characteristics:
            grouping = groupings[grouping_of[characteristic.slot]]
            in_cell = [raking.index(c) if c in raking else -1 for c in characteristic.columns]
            mine = tuple(i for i in in_cell if i >= 0)
            codes: dict[tuple[object, ...], int] = {}
            code = np.full(len(coordinates), -1, dtype=np.int64)
            for k, coordinate in enumerate(coordinates):
                if coordinate[1] == grouping_of[characteristic.slot]:
                    code[k] = codes.setdefault(tuple(coordinate[2 : 2 + len(grouping)]), len(codes))
            self.splits.append(
                _Split(
                    characteristic,
                    grouping_of[characteristic.slot],
                    offset,
                    [grouping.index(c) if c in grouping else -1 for c in characteristic.columns],
                    in_cell,
                    parts.setdefault(mine, _Combinations(list(mine), cell_columns)),
                    code,
                    list(codes),
                )
            )
            offset += (len(characteristic.groups) + 1) * width
        self.respondents = np.zeros(offset, dtype=np.int64)
        self.weights = np.zeros(offset, dtype=np.float64)
        self.squares = np.zeros(offset, dtype=np.float64)

    def add(self, chunk: CellChunk, weights: np.ndarray, coded: np.ndarray) -> None:
        """Add a chunk of cells (`coded`: their `_CellColumns.of`), a characteristic at a time (each has sums
        of its own, so each sum still takes its terms cell after cell)."""
        grouping = self.grouping[chunk.coordinate]
        part_codes: dict[int, np.ndarray] = {}
        for number in dict.fromkeys(split.grouping for split in self.splits):
            mine = np.flatnonzero(grouping == number)
            coordinate, cell, count = chunk.coordinate[mine], chunk.cell[mine], chunk.count[mine]
            for split in self.splits:
                if split.grouping == number:
                    if id(split.cell_part) not in part_codes:
                        part_codes[id(split.cell_part)] = split.cell_part.of(coded)
                    cell_codes = part_codes[id(split.cell_part)]
                    self._add_split(split, coordinate, cell, count, cell_codes, weights)

    def _add_split(
        self,
        split: _Split,
        coordinate: np.ndarray,
        cell: np.ndarray,
        count: np.ndarray,
        cell_codes: np.ndarray,
        weights: np.ndarray,
    ) -> None:
        """Add one characteristic's counts of a chunk (those of its grouping: coordinate, cell and count)."""
        width = len(self.layout.columns)
        rows = split.rows(split.coordinate_code[coordinate], cell_codes[cell])
        base = rows * width  # within the characteristic's sums
        stated = rows >= 0
        # Pieces of (cell, target, count), each in the order of the cells.
        pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for at, sign in ((self.position[coordinate], 1), (self.not_selected[coordinate], -1)):
            kept = stated & (at >= 0)
            pieces.append((cell[kept], base[kept] + at[kept], sign * count[kept]))
        item = self.answered_item[coordinate]
        for index, columns in self.not_selected_of_item.items():
            kept = stated & (item == index)
            answered = cell[kept], base[kept], count[kept]
            for column in columns:  # everyone who answered, less (above) those who chose the option
                pieces.append((answered[0], answered[1] + column, answered[2]))
        self._add(split.offset, (len(split.characteristic.groups) + 1) * width, pieces, weights)

    def _add(
        self, offset: int, size: int, pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]], weights: np.ndarray
    ) -> None:
        """A characteristic's counts (pieces of cell, target below `size`, count, each in the order of the
        cells; its sums start at `offset`) added up by cell and target as integers, then into the sums by
        cell, then target: a block of cells at a time, whose totals are a table of cells by target."""
        block = max(1, self.BLOCK // size)
        starts = np.arange(0, len(weights) + block, block).tolist()
        bounds = [np.searchsorted(cell, starts).tolist() for cell, _, _ in pieces]
        for number in range(len(starts) - 1):
            parts = [
                (p, b[number], b[number + 1]) for p, b in zip(pieces, bounds, strict=True) if b[number] < b[number + 1]
            ]
            if not parts:
                continue
            cell, target, count = (np.concatenate([p[i][start:stop] for p, start, stop in parts]) for i in range(3))
            # Integers, added exactly (as floats, far below 2**53).
            totals = np.bincount(
                (cell - starts[number]) * size + target,
                weights=count,
                minlength=min(block, len(weights) - starts[number]) * size,
            )
            at = np.flatnonzero(totals != 0)  # (a float array's own nonzero is several times slower)
            whole = totals[at].astype(np.int64)
            at_target, weight = offset + at % size, weights[starts[number] + at // size]
            np.add.at(self.respondents, at_target, whole)
            np.add.at(self.weights, at_target, whole * weight)  # added one after another, in order
            np.add.at(self.squares, at_target, whole * weight * weight)

    def result(self) -> dict[str, list[ItemCounts]]:
        width = len(self.layout.columns)
        result: dict[str, list[ItemCounts]] = {}
        for split in self.splits:
            groups = [*split.characteristic.groups, NOT_STATED]
            end = split.offset + len(groups) * width
            respondents, weights, squares = (
                a[split.offset : end].reshape(len(groups), width)
                for a in (self.respondents, self.weights, self.squares)
            )
            result[split.characteristic.slot] = [
                ItemCounts(
                    pd.DataFrame(respondents[:, start:stop], index=groups, columns=item.columns),
                    WeightedSums(weights[:, start:stop], squares[:, start:stop]),
                )
                for item, start, stop in zip(self.items, self.layout.starts[:-1], self.layout.starts[1:], strict=True)
            ]
        return result


def _weighted_analysis_cells(
    where: ProfileFilter,
    characteristics: Sequence[Characteristic],
    items: Sequence[Item],
    age_bands: Sequence[AgeBand],
    raked: RakedSurvey,
) -> dict[str, list[ItemCounts]]:
    raking = list(raked.columns)
    # Each characteristic's columns that are not raking columns are counted beside them: once per set of
    # columns (sex, ethnic group, disability and age are all in the cell, and need nothing more).
    groupings: list[tuple[str, ...]] = []
    grouping_of: dict[str, int] = {}
    for characteristic in characteristics:
        others = tuple(c for c in characteristic.columns if c not in raking)
        same = [i for i, g in enumerate(groupings) if set(g) == set(others)]
        if not same:
            groupings.append(others)
        grouping_of[characteristic.slot] = same[0] if same else len(groupings) - 1
    with answer_counts_by_cell(
        where=where,
        raking=raking,
        groupings=groupings,
        age_bands=age_bands,
        multiple_choice_ids=[item.question_id for item in items if item.multiple],
    ) as counted:
        columns = _CellColumns(len(raking))
        sums = _WeightedSums(characteristics, items, raking, groupings, grouping_of, counted.coordinates, columns)
        weights = _CellWeights(raking, raked, columns)
        for chunk in counted.chunks():
            if len(chunk.cells):
                coded = columns.of(chunk.cells)
                sums.add(chunk, weights(chunk.cells, coded), coded)
    return sums.result()


def _grids(
    characteristic: Characteristic,
    items: Sequence[Item],
    layout: _Layout,
    chosen: tuple[list[str], np.ndarray, pd.Series],
    answering: tuple[list[str], np.ndarray, pd.Series],
) -> list[pd.DataFrame]:
    """Each item's respondents by group and answer column, every item's at once. `chosen`: each chosen
    answer row's group, column (in `layout`, -1 for none) and count; `answering`: each multiple-choice
    row's group, item (-1 for none) and respondents who answered."""
    chosen_groups, chosen_at, chosen_counts = chosen
    answering_groups, answered_item, answering_counts = answering
    rows = [*characteristic.groups, NOT_STATED]
    row_of = {group: index for index, group in enumerate(rows)}
    values = np.zeros((len(rows), len(layout.columns)), dtype=np.int64)
    row = np.array([row_of.get(group, -1) for group in chosen_groups], dtype=np.int64)
    kept = (row >= 0) & (chosen_at >= 0)
    np.add.at(values, (row[kept], chosen_at[kept]), chosen_counts.to_numpy(dtype=np.int64)[kept])
    if layout.multiple:
        # Multiple choice: each option splits the people who answered into selected and not selected.
        answered = np.zeros((len(rows), len(items)), dtype=np.int64)
        row = np.array([row_of.get(group, -1) for group in answering_groups], dtype=np.int64)
        kept = (row >= 0) & (answered_item >= 0)
        np.add.at(answered, (row[kept], answered_item[kept]), answering_counts.to_numpy(dtype=np.int64)[kept])
        for index in layout.multiple.values():
            start, item = layout.starts[index], items[index]
            for outcome in item.outcomes:
                selected = start + item.columns.index(outcome.column)
                not_selected = start + item.columns.index(f"{outcome.column}: {NOT_SELECTED}")
                values[:, not_selected] = answered[:, index] - values[:, selected]
    return [
        pd.DataFrame(values[:, start:end], index=rows, columns=item.columns)
        for item, start, end in zip(items, layout.starts[:-1], layout.starts[1:], strict=True)
    ]
