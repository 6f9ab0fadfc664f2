"""Intersections: respondents by two characteristics together against the census's joint table.

The census has one joint table for the characteristics a survey asks: sex by single year of age
(TS009). Each cell ("Female, 16 to 24") is compared with its share of residents of the survey's ages,
with the one-characteristic report's statistics (`compare_report`: share, Wilson interval, ratio,
one-sided binomial tests, flags, outreach) and protection (`protect_characteristic`, with the joint
table's rows and columns as margins a reader is assumed to know). The cells are their own
Benjamini-Hochberg family, so the one-characteristic comparisons keep the q-values they had.
Design: docs/decisions/0030-intersections-and-detailed-groups.md.
"""

from collections.abc import Hashable, Sequence
from typing import cast

import pandas as pd

from representativeness.reports.builder.comparisons import Comparison
from representativeness.reports.builder.tallies import RESPONDENTS, Tally
from representativeness.selectors import (
    AgeBandsNotAligned,
    BaselineNotFound,
    age_band_label,
    age_sex_band_counts,
    baseline_get,
)
from surveys.equality.library import PREFER_NOT_TO_SAY
from surveys.equality.mapping import NOT_ASKED, SKIPPED, census_category
from surveys.equality.selectors import AGE_BAND

SEX_BY_AGE = "sex_by_age"
SEXES = ("Female", "Male")
# The profile columns a sex-by-age tally is counted from (surveys.equality.selectors.equality_cells).
SEX_BY_AGE_COLUMNS = ("sex", AGE_BAND, "age_status")


def sex_by_age_label(sex: str, band: str) -> str:
    return f"{sex}, {band}"


def sex_by_age_tally(frame: pd.DataFrame, bands: Sequence[tuple[int, int | None]]) -> Tally:
    """Respondents per sex-by-age-band cell, from a GROUP BY on SEX_BY_AGE_COLUMNS.

    Only those who stated both are in a cell. Not asked: the sex question was not asked (the section
    skipped). Prefer not to say: either answer was. Skipped: the rest (either question skipped, or an
    age outside the survey's range).
    """
    labels = [sex_by_age_label(sex, age_band_label(band)) for sex in SEXES for band in bands]
    tally = Tally(by_label=pd.Series(0, index=labels, dtype="int64"))
    for sex_value, band, status, count in zip(
        frame["sex"], frame[AGE_BAND], frame["age_status"], frame[RESPONDENTS], strict=True
    ):
        sex = census_category("sex", (None if pd.isna(sex_value) else sex_value,))
        n = int(count)
        if sex == NOT_ASKED:
            tally.not_asked += n
        elif PREFER_NOT_TO_SAY in (sex, status):
            tally.prefer_not_to_say += n
        elif sex == SKIPPED or not isinstance(band, str) or not band:
            tally.skipped += n
        else:
            tally.by_label[sex_by_age_label(sex, band)] += n
    return tally


def sex_by_age_margins(bands: Sequence[tuple[int, int | None]]) -> dict[Hashable, Sequence[Hashable]]:
    """Each row (sex) and column (age band) of the joint table, with its cells."""
    labels = [age_band_label(band) for band in bands]
    margins: dict[Hashable, Sequence[Hashable]] = {
        sex: [sex_by_age_label(sex, band) for band in labels] for sex in SEXES
    }
    margins.update({band: [sex_by_age_label(sex, band) for sex in SEXES] for band in labels})
    return margins


def sex_by_age_comparison(*, area_code: str, tally: Tally, bands: Sequence[tuple[int, int | None]]) -> Comparison | str:
    """The comparison of the joint table, or why it cannot be made (a note for the report)."""
    try:
        census = age_sex_band_counts(area_code=area_code, bands=list(bands))
    except (BaselineNotFound, AgeBandsNotAligned) as error:
        return f"Sex and age together are not compared: {error}"
    counts = pd.Series(
        {
            sex_by_age_label(sex, age_band_label(band)): int(round(cast(float, census.loc[age_band_label(band), sex])))
            for sex in SEXES
            for band in bands
        },
        dtype="int64",
    )
    baseline = baseline_get(area_code=area_code, table="TS009")
    return Comparison(
        key=SEX_BY_AGE,
        level="detailed",
        label="Sex and age",
        table="TS009",
        base=f"usual residents aged {bands[0][0]} and over",
        source=baseline.source_file_name if baseline else "",
        tally=tally,
        respondents=tally.by_label.reindex(counts.index, fill_value=0).astype("int64"),
        census=counts,
        not_answered_rate=None,
        notes=[],
    )
