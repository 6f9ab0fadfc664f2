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
    equality_cells,
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
    count per set of profile columns (a characteristic's broad and detailed groups share theirs)."""
    cells = {
        columns: equality_cells(where=where, columns=list(columns), age_bands=age_bands)
        for columns in dict.fromkeys(c.columns for c in characteristics)
    }
    result: dict[str, dict[str, int]] = {}
    for characteristic in characteristics:
        frame = cells[characteristic.columns]
        totals = dict.fromkeys(characteristic.groups, 0)
        for group, count in zip(_groups(frame, characteristic), frame[COUNT].tolist(), strict=True):
            if group in totals:
                totals[group] += int(count)
        result[characteristic.slot] = totals
    return result


class _CellWeights:
    """The weight of everyone in a cell (its raking columns' values), as it was raked: the cell labelled as
    it was raked, then its combination's weight looked up (as `RakeResult.weights_for`, once per reading
    rather than once per chunk of cells)."""

    def __init__(self, raking: list[str], raked: RakedSurvey) -> None:
        self.raking, self.raked, self.used = raking, raked, list(raked.rake.used_columns)
        cells = raked.rake.cells
        factors = cells["weight"].to_numpy() / cells["base_weight"].to_numpy()
        self.everyone = float(factors[0]) if len(factors) else 1.0  # nothing raked: one weight for all
        self.factor: dict[tuple[object, ...], float] = {}
        for key, factor in zip(_combinations(cells[self.used]), factors.tolist(), strict=True):
            self.factor.setdefault(key, factor)

    def __call__(self, cells: list[tuple[object, ...]]) -> np.ndarray:
        if not self.used:
            return np.full(len(cells), self.everyone)
        labelled = self.raked.labelled(pd.DataFrame(cells, columns=self.raking, dtype=object))
        try:
            return np.array([self.factor[key] for key in _combinations(labelled[self.used])], dtype=np.float64)
        except KeyError as missing:  # pragma: no cover - the cells raked are those counted
            raise ValueError(f"A combination was not among the raked cells: {missing}") from None


def _combinations(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Each row's values, a missing one (None or NaN) as None."""
    return list(frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))


_PAIR_BITS = 24  # a coordinate's part and a cell's part of a group, in one integer


@dataclass
class _Split:
    """How one characteristic's groups are read from a cell's counts: its columns counted beside the raking
    columns (in the coordinate) and those that are raking columns (in the cell)."""

    characteristic: Characteristic
    grouping: int  # which of the counted groupings holds its other columns
    offset: int  # where its (group, answer column) counts start
    in_coordinate: list[int]  # for each of its columns, where in the coordinate's values, or -1
    in_cell: list[int]  # for each of its columns, where in the cell, or -1
    coordinate_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    coordinate_values: list[tuple[object, ...]] = field(default_factory=list)
    cell_codes: dict[tuple[object, ...], int] = field(default_factory=dict)
    rows: dict[tuple[int, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.row_of = {group: index for index, group in enumerate([*self.characteristic.groups, NOT_STATED])}
        # For each of its columns, where in the cell's part (its raking columns' values, in its order), or -1.
        raking_columns = [i for i in self.in_cell if i >= 0]
        self.in_cell_part = [raking_columns.index(i) if i >= 0 else -1 for i in self.in_cell]

    def cell_codes_of(self, columns: list[tuple[object, ...]]) -> np.ndarray:
        """A code for each cell (given column by column) of its values of the characteristic's raking columns."""
        mine = [columns[i] for i in self.in_cell if i >= 0]
        codes = self.cell_codes
        if not mine:  # none: every cell's part is the same, empty
            return np.full(len(columns[0]) if columns else 0, codes.setdefault((), len(codes)), dtype=np.int64)
        return np.array([codes.setdefault(key, len(codes)) for key in zip(*mine, strict=True)], dtype=np.int64)

    def row(self, pair: int, cell_values: list[tuple[object, ...]]) -> int:
        """The group row (-1 for none) of a coordinate's and a cell's parts, worked out once per pair."""
        row = self.rows.get(pair)
        if row is None:
            mine, theirs = self.coordinate_values[pair >> _PAIR_BITS], cell_values[pair & ((1 << _PAIR_BITS) - 1)]
            values = tuple(
                mine[at] if at >= 0 else theirs[self.in_cell_part[i]] for i, at in enumerate(self.in_coordinate)
            )
            row = self.rows[pair] = self.row_of.get(self.characteristic.group_of(values), -1)
        return row


class _WeightedSums:
    """Respondents, weights and squared weights by characteristic, group and answer column, added up a chunk
    of cells at a time: in each cell, the counts are added up by (group, answer column) first, as integers,
    then times the cell's weight and its square, cell after cell in key order. The sums are the same
    whatever the chunks and however the counts were kept."""

    def __init__(
        self,
        characteristics: Sequence[Characteristic],
        items: Sequence[Item],
        raking: list[str],
        groupings: list[tuple[str, ...]],
        grouping_of: dict[str, int],
        coordinates: list[tuple[object, ...]],
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
        offset = 0
        for characteristic in characteristics:
            grouping = groupings[grouping_of[characteristic.slot]]
            split = _Split(
                characteristic,
                grouping_of[characteristic.slot],
                offset,
                [grouping.index(c) if c in grouping else -1 for c in characteristic.columns],
                [raking.index(c) if c in raking else -1 for c in characteristic.columns],
            )
            codes: dict[tuple[object, ...], int] = {}
            code = np.full(len(coordinates), -1, dtype=np.int64)
            for k, coordinate in enumerate(coordinates):
                if coordinate[1] == split.grouping:
                    code[k] = codes.setdefault(tuple(coordinate[2 : 2 + len(grouping)]), len(codes))
            split.coordinate_code, split.coordinate_values = code, list(codes)
            self.splits.append(split)
            offset += (len(characteristic.groups) + 1) * width
        self.size = offset
        self.respondents = np.zeros(offset, dtype=np.int64)
        self.weights = np.zeros(offset, dtype=np.float64)
        self.squares = np.zeros(offset, dtype=np.float64)

    def add(self, chunk: CellChunk, weights: np.ndarray) -> None:
        """Add a chunk of cells, a characteristic at a time (each has sums of its own, so each sum still
        takes its terms cell after cell)."""
        width = len(self.layout.columns)
        by_column = [list(c) for c in zip(*chunk.cells, strict=True)]
        for split in self.splits:
            targets: list[np.ndarray] = []
            cells: list[np.ndarray] = []
            counts: list[np.ndarray] = []
            mine = self.grouping[chunk.coordinate] == split.grouping
            coordinate, cell, count = chunk.coordinate[mine], chunk.cell[mine], chunk.count[mine]
            cell_code = split.cell_codes_of(by_column)
            cell_values = list(split.cell_codes)
            pairs = (split.coordinate_code[coordinate] << _PAIR_BITS) | cell_code[cell]
            unique, inverse = np.unique(pairs, return_inverse=True)
            rows = np.array([split.row(int(p), cell_values) for p in unique], dtype=np.int64)[inverse]
            base = split.offset + rows * width
            stated = rows >= 0
            for at, sign in ((self.position[coordinate], 1), (self.not_selected[coordinate], -1)):
                kept = stated & (at >= 0)
                targets.append(base[kept] + at[kept])
                cells.append(cell[kept])
                counts.append(sign * count[kept])
            item = self.answered_item[coordinate]
            for index, columns in self.not_selected_of_item.items():
                kept = stated & (item == index)
                for column in columns:  # everyone who answered, less (above) those who chose the option
                    targets.append(base[kept] + column)
                    cells.append(cell[kept])
                    counts.append(count[kept])
            self._add(np.concatenate(cells), np.concatenate(targets), np.concatenate(counts), weights)

    def _add(self, cell: np.ndarray, target: np.ndarray, count: np.ndarray, weights: np.ndarray) -> None:
        """Counts by cell and target added up as integers, then into the sums, by cell, then target."""
        if not len(cell):
            return
        unique, inverse = np.unique(cell * self.size + target, return_inverse=True)
        totals = np.zeros(len(unique), dtype=np.int64)
        np.add.at(totals, inverse, count)
        nonzero = totals != 0
        unique, totals = unique[nonzero], totals[nonzero]
        target, weight = unique % self.size, weights[unique // self.size]
        np.add.at(self.respondents, target, totals)
        np.add.at(self.weights, target, totals * weight)  # added one after another, in order
        np.add.at(self.squares, target, totals * weight * weight)

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
        sums = _WeightedSums(characteristics, items, raking, groupings, grouping_of, counted.coordinates)
        weights = _CellWeights(raking, raked)
        for chunk in counted.chunks():
            if len(chunk.cells):
                sums.add(chunk, weights(chunk.cells))
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
