"""A dataset's counts as a Population for the report builder (representativeness.reports.builder)."""

import pandas as pd

from representativeness.age_bands import group_maximum_age
from representativeness.populations.datasets import CharacteristicCounts, DatasetCounts
from representativeness.reports.builder.build import Population
from representativeness.reports.builder.tallies import Tally
from representativeness.selectors import AgeBand, age_band_label


def _tally(counts: CharacteristicCounts, people: int) -> Tally:
    return Tally(
        by_label=pd.Series(counts.by_category, dtype="int64"),
        prefer_not_to_say=counts.prefer_not_to_say,
        skipped=counts.skipped,
        not_asked=people - counts.answered - counts.prefer_not_to_say - counts.skipped,
    )


def _age_tally(ages: dict[int, int], unknown: int, bands: list[AgeBand]) -> Tally:
    tally = Tally(by_label=pd.Series(0, index=[age_band_label(b) for b in bands], dtype="int64"), skipped=unknown)
    for age, count in ages.items():
        band = next((b for b in bands if age >= b[0] and (b[1] is None or age <= b[1])), None)
        if band is None:  # younger than the population's youngest age: no usable answer, as in a survey
            tally.outside_ages += count
            tally.skipped += count
        else:
            tally.by_label[age_band_label(band)] += count
    return tally


def dataset_population(counts: DatasetCounts, *, title: str, slug: str, minimum_age: int | None = None) -> Population:
    """The people of a dataset, compared from `minimum_age` (the youngest age in it when not given; 16
    when it has no ages), and up to its oldest age when everyone in it is under 18 (a young people's group)."""
    if minimum_age is None:
        minimum_age = min(counts.ages, default=16)
    return Population(
        title=title,
        slug=slug,
        minimum_age=minimum_age,
        maximum_age=group_maximum_age(max(counts.ages, default=None)),
        respondents=counts.people,
        tallies={key: _tally(c, counts.people) for key, c in counts.characteristics.items()},
        age=(lambda bands: _age_tally(counts.ages, counts.age_unknown, bands)) if counts.ages else None,
        merged={key: c.merged for key, c in counts.characteristics.items() if c.merged},
    )
