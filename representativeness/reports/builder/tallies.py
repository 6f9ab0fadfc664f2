"""Respondents counted per census category, with the answers that are not categories kept apart."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from representativeness.selectors import age_band_label
from surveys.equality.library import PREFER_NOT_TO_SAY
from surveys.equality.mapping import NOT_ASKED, SKIPPED

RESPONDENTS = "respondents"


@dataclass
class Tally:
    """One characteristic's respondents: counts per census label plus the answers that are not categories."""

    by_label: pd.Series
    prefer_not_to_say: int = 0
    skipped: int = 0
    not_asked: int = 0
    outside_ages: int = 0

    @property
    def answered(self) -> int:
        return int(self.by_label.sum())


def tally_of(frame: pd.DataFrame, columns: Sequence[str], to_label: Callable[[tuple[Any, ...]], str]) -> Tally:
    """Add up a GROUP BY's rows by what `to_label` makes of each row's values: a category or not an answer."""
    labels: dict[str, int] = {}
    tally = Tally(by_label=pd.Series(dtype="int64"))
    for values, count in zip(frame[list(columns)].itertuples(index=False), frame[RESPONDENTS], strict=True):
        label = to_label(tuple(None if pd.isna(v) else v for v in values))
        if label == PREFER_NOT_TO_SAY:
            tally.prefer_not_to_say += int(count)
        elif label == SKIPPED:
            tally.skipped += int(count)
        elif label == NOT_ASKED:
            tally.not_asked += int(count)
        else:
            labels[label] = labels.get(label, 0) + int(count)
    tally.by_label = pd.Series(labels, dtype="int64")
    return tally


def ward_label(values: tuple[Any, ...]) -> str:
    (value,) = values
    return NOT_ASKED if value is None else str(value)


def age_tally(frame: pd.DataFrame, bands: list[tuple[int, int | None]]) -> Tally:
    tally = Tally(by_label=pd.Series(0, index=[age_band_label(b) for b in bands], dtype="int64"))
    for age_value, status_value, count_value in zip(
        frame["age"].tolist(), frame["age_status"].tolist(), frame[RESPONDENTS].tolist(), strict=True
    ):
        count = int(count_value)
        status = "" if pd.isna(status_value) else status_value
        if not pd.isna(age_value):
            age = int(age_value)
            band = next((b for b in bands if age >= b[0] and (b[1] is None or age <= b[1])), None)
            if band is None:
                # An age outside the survey's range is no usable answer: counted with "skipped". Not with
                # "not asked", which every characteristic shares (whoever skipped the whole section), so
                # that the difference between two characteristics' "not asked" never counts them.
                tally.outside_ages += count
                tally.skipped += count
            else:
                tally.by_label[age_band_label(band)] += count
        elif status == PREFER_NOT_TO_SAY:
            tally.prefer_not_to_say += count
        elif status == SKIPPED:
            tally.skipped += count
        else:
            tally.not_asked += count
    return tally
