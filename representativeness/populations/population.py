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


def _age_tally(given: dict[AgeBand, int], unknown: int, bands: list[AgeBand]) -> Tally:
    """People per band compared: each given band (a single year is one) lies inside one of `bands`, which
    the builder made sure of (representativeness.age_bands.bands_compared)."""
    tally = Tally(by_label=pd.Series(0, index=[age_band_label(b) for b in bands], dtype="int64"), skipped=unknown)
    for (low, high), count in given.items():
        band = next((b for b in bands if low >= b[0] and (b[1] is None or (high is not None and high <= b[1]))), None)
        if band is None:  # younger than the population's youngest age: no usable answer, as in a survey
            tally.outside_ages += count
            tally.skipped += count
        else:
            tally.by_label[age_band_label(band)] += count
    return tally


def dataset_population(counts: DatasetCounts, *, title: str, slug: str, minimum_age: int | None = None) -> Population:
    """The people of a dataset, compared from `minimum_age` (the youngest age in it when not given; 16
    when it has no ages), and up to its oldest age when everyone in it is under 18 (a young people's group).
    Ages given in bands are compared in the report's bands, merged where the file's cut across them."""
    youngest = counts.youngest()
    if minimum_age is None:
        minimum_age = 16 if youngest is None else youngest
    given = counts.given_ages()
    return Population(
        title=title,
        slug=slug,
        minimum_age=minimum_age,
        maximum_age=group_maximum_age(counts.oldest()),
        respondents=counts.people,
        tallies={key: _tally(c, counts.people) for key, c in counts.characteristics.items()},
        age=(lambda bands: _age_tally(given, counts.age_unknown, bands)) if given else None,
        ages_given=list(counts.age_bands),
        merged={key: c.merged for key, c in counts.characteristics.items() if c.merged},
    )
