"""Answers counted by group (and by weight, when weighted), counted by the database in one pass.

`answer_cells_by_groupings` counts, in the database, the respondents of every combination of each
characteristic's columns (and the raking columns, when weighted) who chose each answer (GROUPING SETS
on PostgreSQL). Here those counts become one small frame per question and characteristic: group,
column, weight, respondents. Nothing here reads a single response.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from representativeness.equality_analysis.characteristics import Characteristic
from representativeness.equality_analysis.items import NOT_SELECTED, Item
from representativeness.weighting import RakedSurvey
from surveys.equality.selectors import COUNT, AgeBand, ProfileFilter, answer_cells_by_groupings

GROUP, COLUMN, WEIGHT = "group", "column", "weight"


def _groups(frame: pd.DataFrame, characteristic: Characteristic) -> pd.Series:
    columns = list(characteristic.columns)
    combos = frame[columns].astype(object).where(frame[columns].notna(), None)
    keys = [tuple(values) for values in combos.to_numpy()]
    mapping = {key: characteristic.group_of(key) for key in set(keys)}
    return pd.Series([mapping[key] for key in keys], index=frame.index, dtype=object)


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
) -> dict[str, list[pd.DataFrame]]:
    """For each characteristic (by slot) and item, respondents by group, answer column and weight (1 when
    unweighted). One pass over the answers on PostgreSQL, whatever the number of characteristics."""
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
    cells: dict[str, list[pd.DataFrame]] = {}
    for characteristic in characteristics:
        chosen, answering = frames[tuple(dict.fromkeys([*characteristic.columns, *raking]))]
        chosen = chosen.assign(**{GROUP: _groups(chosen, characteristic), WEIGHT: _weights(chosen, raked)})
        answering = answering.assign(**{GROUP: _groups(answering, characteristic), WEIGHT: _weights(answering, raked)})
        cells[characteristic.slot] = [_item_cells(chosen, answering, item) for item in items]
    return cells


def _of_item(frame: pd.DataFrame, item: Item) -> pd.DataFrame:
    mine = frame["question_id"] == item.question_id
    if item.grid_row_id is None:
        mine &= frame["grid_row_id"].isna()
    else:
        mine &= frame["grid_row_id"] == item.grid_row_id
    return frame[mine]


def _item_cells(chosen: pd.DataFrame, answering: pd.DataFrame, item: Item) -> pd.DataFrame:
    part = _of_item(chosen, item)
    labelled = part.assign(**{COLUMN: part["choice_id"].map(item.column_of_choice)})
    labelled = labelled[labelled[COLUMN].notna()]
    selected = labelled.groupby([GROUP, WEIGHT, COLUMN], as_index=False)[COUNT].sum()
    if not item.multiple:
        return selected[[GROUP, COLUMN, WEIGHT, COUNT]]
    # Multiple choice: each option splits the people who answered into selected and not selected.
    denominators = _of_item(answering, item).groupby([GROUP, WEIGHT], as_index=False)["answering"].sum()
    pieces = []
    for outcome in item.outcomes:
        ticked = selected[selected[COLUMN] == outcome.column][[GROUP, WEIGHT, COUNT]]
        both = denominators.merge(ticked, on=[GROUP, WEIGHT], how="left").fillna({COUNT: 0})
        pieces.append(both.assign(**{COLUMN: outcome.column}))
        pieces.append(
            both.assign(**{COLUMN: f"{outcome.column}: {NOT_SELECTED}", COUNT: both["answering"] - both[COUNT]})
        )
    if not pieces:
        return pd.DataFrame(columns=[GROUP, COLUMN, WEIGHT, COUNT])
    frame = pd.concat(pieces, ignore_index=True)
    frame[COUNT] = frame[COUNT].astype(np.int64)
    return frame[[GROUP, COLUMN, WEIGHT, COUNT]]
