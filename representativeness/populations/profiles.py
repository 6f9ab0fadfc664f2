"""People who answered the About you questions outside a survey's responses (an activity's attendees), as
a Population for the report builder: counted from their EqualityAnswers rows with the same GROUP BY
shape, census mapping and tallies as a survey's respondents."""

import functools
from collections.abc import Collection, Sequence

import pandas as pd
from django.db.models import Count, Max, Min, QuerySet

from representativeness.age_bands import group_maximum_age
from representativeness.reports.builder.build import Population
from representativeness.reports.builder.tallies import RESPONDENTS, age_tally, tally_of, ward_label
from surveys.equality.mapping import CENSUS_CHARACTERISTICS, census_category


def _frame(rows: QuerySet, columns: Sequence[str]) -> pd.DataFrame:
    counted = rows.order_by().values(*columns).annotate(**{RESPONDENTS: Count("pk")})
    return pd.DataFrame.from_records(list(counted), columns=[*columns, RESPONDENTS])


def profiles_population(
    rows: QuerySet,
    *,
    title: str,
    slug: str,
    asked_keys: Collection[str],
    minimum_age: int,
    ward_codes: list[str] | None = None,
) -> Population:
    """The people of `rows` (a queryset of EqualityAnswers) on the About you questions `asked_keys`,
    compared from `minimum_age`, or from the youngest age given when that is younger, and up to the oldest
    when everyone is under 18 (a young people's group is compared with the census for its own ages)."""
    asked = set(asked_keys)
    wanted = [c for c in CENSUS_CHARACTERISTICS if set(c.columns) <= asked]
    ages_known = rows.aggregate(youngest=Min("age"), oldest=Max("age")) if "date_of_birth" in asked else {}
    youngest, oldest = ages_known.get("youngest"), ages_known.get("oldest")
    ages = _frame(rows, ("age", "age_status")) if "date_of_birth" in asked else None
    areas = None
    if "area" in asked and ward_codes:
        areas = (tally_of(_frame(rows, ("area",)), ("area",), ward_label), ward_codes)
    return Population(
        title=title,
        slug=slug,
        minimum_age=minimum_age if youngest is None else min(minimum_age, youngest),
        maximum_age=group_maximum_age(oldest),
        respondents=rows.count(),
        tallies={
            c.key: tally_of(_frame(rows, c.columns), c.columns, functools.partial(census_category, c.key))
            for c in wanted
        },
        age=None if ages is None else functools.partial(age_tally, ages),
        areas=areas,
        partial=[c for c in CENSUS_CHARACTERISTICS if set(c.columns) & asked and not set(c.columns) <= asked],
        asks_about_you=bool(asked),
    )
