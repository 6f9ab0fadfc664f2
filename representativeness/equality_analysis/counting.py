"""Answers counted by group (and by weight, when weighted), counted by the database in one pass.

`answer_cells_by_groupings` counts, in the database, the respondents of every combination of each
characteristic's columns (and the raking columns, when weighted) who chose each answer (GROUPING SETS
on PostgreSQL). Here those counts become, per question and characteristic, a small table of
respondents by group and answer, and when weighted one small frame of group, column, weight and
respondents. Nothing here reads a single response.

The analysis is a few hundred such tables, whatever the number of responses, so each characteristic's
counts are labelled with their item and answer column once and added up with numpy, rather than
selected, grouped and reshaped with pandas once per item.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from representativeness.equality_analysis.characteristics import NOT_STATED, Characteristic
from representativeness.equality_analysis.items import NOT_SELECTED, Item
from representativeness.weighting import RakedSurvey
from surveys.equality.selectors import COUNT, AgeBand, ProfileFilter, answer_cells_by_groupings, equality_cells

GROUP, COLUMN, WEIGHT = "group", "column", "weight"
_ITEM = "item"


@dataclass(frozen=True)
class ItemCounts:
    """One item's respondents by one characteristic's groups."""

    # Respondents by group (the characteristic's groups, then NOT_STATED) and answer column (the item's).
    grid: pd.DataFrame
    # Weighted only: respondents by group, answer column and weight (GROUP, COLUMN, WEIGHT, COUNT), in the
    # order of group, weight and column.
    cells: pd.DataFrame | None = None


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


def _weights(frame: pd.DataFrame, raked: RakedSurvey | None) -> pd.Series:
    if raked is None or frame.empty:
        return pd.Series(1.0, index=frame.index)
    labelled = raked.labelled(frame)  # census labels, small groups combined as they were raked
    return raked.rake.weights_for(labelled[list(raked.rake.used_columns)])


def analysis_cells(
    *,
    where: ProfileFilter,
    characteristics: Sequence[Characteristic],
    items: Sequence[Item],
    age_bands: Sequence[AgeBand],
    raked: RakedSurvey | None,
) -> dict[str, list[ItemCounts]]:
    """For each characteristic (by slot) and item, respondents by group and answer column, and, weighted,
    by weight too. One pass over the answers on PostgreSQL, whatever the number of characteristics."""
    raking = list(raked.columns) if raked else []
    # A characteristic's broad and detailed groups are read from the same columns: counted once.
    groupings = list(dict.fromkeys(tuple(dict.fromkeys([*c.columns, *raking])) for c in characteristics))
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
        chosen, answering = frames[tuple(dict.fromkeys([*characteristic.columns, *raking]))]
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
        if raked is None:
            counts[characteristic.slot] = [ItemCounts(grid) for grid in grids]
            continue
        chosen = chosen.assign(
            **{
                GROUP: chosen_groups,
                WEIGHT: _weights(chosen, raked),
                _ITEM: np.searchsorted(layout.starts, chosen_at, side="right") - 1,
                COLUMN: np.array([layout.columns[p] if p >= 0 else None for p in chosen_at], dtype=object),
            }
        )
        answering = answering.assign(
            **{GROUP: answering_groups, WEIGHT: _weights(answering, raked), _ITEM: answered_item}
        )
        cells = _weighted_cells(chosen[chosen_at >= 0], answering[answered_item >= 0], items)
        counts[characteristic.slot] = [ItemCounts(grid, frame) for grid, frame in zip(grids, cells, strict=True)]
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


def _split(frame: pd.DataFrame, count: int, columns: list[str]) -> list[pd.DataFrame]:
    """`frame` (sorted by _ITEM) as one frame per item index 0 .. count - 1."""
    bounds = np.searchsorted(frame[_ITEM].to_numpy(), np.arange(count + 1))
    pieces = zip(bounds[:-1], bounds[1:], strict=True)
    return [frame.iloc[start:end][columns].reset_index(drop=True) for start, end in pieces]


def _weighted_cells(chosen: pd.DataFrame, answering: pd.DataFrame, items: Sequence[Item]) -> list[pd.DataFrame]:
    """Each item's respondents by group, answer column and weight, from one grouping of every item at once
    (each item's rows in the order grouping it alone gives: by group, weight and column)."""
    selected = chosen.groupby([_ITEM, GROUP, WEIGHT, COLUMN], as_index=False)[COUNT].sum()
    result = _split(selected, len(items), [GROUP, COLUMN, WEIGHT, COUNT])
    denominators = _split(
        answering.groupby([_ITEM, GROUP, WEIGHT], as_index=False)["answering"].sum(),
        len(items),
        [GROUP, WEIGHT, "answering"],
    )
    for index, item in enumerate(items):
        if item.multiple:
            result[index] = _selected_or_not(result[index], denominators[index], item)
    return result


def _selected_or_not(selected: pd.DataFrame, denominators: pd.DataFrame, item: Item) -> pd.DataFrame:
    """Multiple choice: each option splits the people who answered into selected and not selected (each
    option's rows, then its rows not selected, in the order of `denominators`)."""
    ticked = {
        (group, weight, column): count
        for group, weight, column, count in zip(
            selected[GROUP], selected[WEIGHT], selected[COLUMN], selected[COUNT], strict=True
        )
    }
    groups, weights = denominators[GROUP].to_numpy(dtype=object), denominators[WEIGHT].to_numpy()
    answered = denominators["answering"].to_numpy(dtype=np.int64)
    pieces: list[tuple[str, np.ndarray]] = []
    for outcome in item.outcomes:
        chose = np.array(
            [ticked.get((group, weight, outcome.column), 0) for group, weight in zip(groups, weights, strict=True)],
            dtype=np.int64,
        )
        pieces += [(outcome.column, chose), (f"{outcome.column}: {NOT_SELECTED}", answered - chose)]
    if not pieces:
        return pd.DataFrame(columns=[GROUP, COLUMN, WEIGHT, COUNT])
    size = len(groups)
    return pd.DataFrame(
        {
            GROUP: np.tile(groups, len(pieces)),
            COLUMN: np.repeat(np.array([column for column, _ in pieces], dtype=object), size),
            WEIGHT: np.tile(weights, len(pieces)),
            COUNT: np.concatenate([counts for _, counts in pieces]),
        }
    )
