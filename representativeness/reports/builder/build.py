"""report_build: count a survey's respondents, then population_report: compare any population with the
census, adjust, flag and suppress."""

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils import timezone

from representativeness.age_bands import AgeBand, bands_compared, merged_bands_note, survey_age_bands
from representativeness.disclosure import Audience, Protection, protect_goodness_of_fit, protection_for
from representativeness.disclosure.snapshot import published_snapshot
from representativeness.errors import ReportError
from representativeness.models import Area
from representativeness.reports.builder.comparisons import (
    Comparison,
    age_comparison,
    area_comparison,
    characteristic_comparisons,
)
from representativeness.reports.builder.intersections import (
    SEX_BY_AGE_COLUMNS,
    sex_by_age_comparison,
    sex_by_age_margins,
    sex_by_age_tally,
)
from representativeness.reports.builder.protection import characteristics_protect
from representativeness.reports.builder.report import CharacteristicReport, Report
from representativeness.reports.builder.tallies import RESPONDENTS, Tally, age_tally, tally_of, ward_label
from representativeness.respondent_areas import respondent_wards, respondent_wards_for, wards_elsewhere_note
from representativeness.rules import flag_rule_from_settings
from representativeness.selectors import area_get, report_area_default_code
from representativeness.stats.comparison import compare_report, comparison_records
from representativeness.stats.flags import FlagRule
from representativeness.stats.goodness_of_fit import chi_square_goodness_of_fit
from representativeness.stats.outreach import joint_outreach_needed
from surveys.equality.mapping import CENSUS_CHARACTERISTICS, CensusCharacteristic, census_category
from surveys.equality.selectors import (
    ProfileFilter,
    equality_cells,
    equality_counts,
    one_reading,
    survey_area_codes,
    survey_equality_keys,
)
from surveys.models import Survey


@dataclass
class Population:
    """Who is compared with the census: a survey's respondents, an activity's attendees, a service's users.

    `tallies`: people per census category of each characteristic compared (merged categories named as
    in `merged`, characteristic -> merged label -> the census categories it covers); `age`: a function
    from the age bands to the age tally, when ages are known; `areas`: the ward tally and the wards'
    codes, when wards are known. `slug` and `title` name it in the report's JSON and files.
    """

    title: str
    slug: str
    minimum_age: int
    respondents: int
    tallies: dict[str, Tally]
    age: Callable[[list[tuple[int, int | None]]], Tally] | None = None
    # Respondents per sex-by-age-band cell, from the age bands, when both are asked (intersections).
    sex_by_age: Callable[[list[tuple[int, int | None]]], Tally] | None = None
    areas: tuple[Tally, list[str]] | None = None
    merged: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    partial: list[CensusCharacteristic] = field(default_factory=list)
    asks_about_you: bool = True
    notes: list[str] = field(default_factory=list)  # said first in the report
    # A young people's group's oldest age (representativeness.age_bands.group_maximum_age): compared with
    # residents of its own ages only. None: everyone from `minimum_age` up.
    maximum_age: int | None = None
    # The age bands a group's ages were given in (a service's "16 to 24"), when any: the report's bands
    # are merged where these cut across them (representativeness.age_bands.bands_compared).
    ages_given: list[AgeBand] = field(default_factory=list)


def population_age_bands(population: Population) -> tuple[list[AgeBand], str | None] | str:
    """The bands a population's ages are compared in and, when the census bands were merged to match the
    bands its ages were given in, the note saying so; or why age cannot be compared."""
    bands = survey_age_bands(population.minimum_age, population.maximum_age)
    if not population.ages_given:
        return bands, None
    found = bands_compared(bands, population.ages_given)
    if isinstance(found, str):
        return found
    merged, cutting = found
    return merged, (merged_bands_note(bands, merged, cutting) if merged != bands else None)


def _age_comparison(population: Population, *, area_code: str, exact: bool) -> Comparison | str:
    found = population_age_bands(population)
    if isinstance(found, str):
        return found
    bands, merged_note = found
    assert population.age is not None
    age = age_comparison(area_code=area_code, tally=population.age(bands), bands=bands, exact=exact)
    if isinstance(age, Comparison) and merged_note:
        age.notes.insert(0, merged_note)
    return age


def survey_population(
    survey: Survey,
    *,
    area: Area,
    channel: str | None = None,
    submitted_from: dt.datetime | None = None,
    submitted_to: dt.datetime | None = None,
    through_id: int | None = None,
) -> Population:
    """A survey's respondents, counted in the database with one GROUP BY per characteristic (only those
    who said they live in `area`, when it is a ward inside the survey's council; only the profiles up to
    `through_id`, when a published snapshot is read)."""
    resident_wards = respondent_wards(survey=survey, area=area)
    where = ProfileFilter(
        survey.pk,
        channel=channel,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        wards=resident_wards,
        through_id=through_id,
    )
    asked_keys = set(survey_equality_keys(survey_id=survey.pk))
    wanted = [c for c in CENSUS_CHARACTERISTICS if set(c.columns) <= asked_keys]
    partial = [c for c in CENSUS_CHARACTERISTICS if set(c.columns) & asked_keys and not set(c.columns) <= asked_keys]
    groupings: list[tuple[str, ...]] = [c.columns for c in wanted]
    if "date_of_birth" in asked_keys:
        groupings.append(("age", "age_status"))
    if "area" in asked_keys and resident_wards is None:
        groupings.append(("area",))
    frames = dict(zip(groupings, equality_counts(where=where, groupings=groupings), strict=True))
    ages = frames.get(("age", "age_status"))
    sex_by_age = None
    if {"sex", "date_of_birth"} <= asked_keys:

        def sex_by_age(bands: list[tuple[int, int | None]]) -> Tally:
            return sex_by_age_tally(equality_cells(where=where, columns=SEX_BY_AGE_COLUMNS, age_bands=bands), bands)

    return Population(
        title=survey.title,
        slug=survey.slug,
        minimum_age=survey.minimum_age,
        respondents=int(frames[groupings[0]][RESPONDENTS].sum()) if groupings else 0,
        tallies={
            c.key: tally_of(frames[c.columns], c.columns, functools.partial(census_category, c.key)) for c in wanted
        },
        age=None if ages is None else functools.partial(age_tally, ages),
        sex_by_age=sex_by_age,
        areas=(
            (tally_of(frames[("area",)], ("area",), ward_label), survey_area_codes(survey_id=survey.pk))
            if ("area",) in frames
            else None
        ),
        partial=partial,
        asks_about_you=bool(asked_keys),
        notes=(
            [f"Only the respondents who said they live in {area.name} are compared with its census."]
            if resident_wards is not None
            else []
        ),
    )


@one_reading()  # the profiles the counts are kept from are checked once (decision 42)
def report_build(
    *,
    survey: Survey,
    area_code: str,
    channel: str | None = None,
    submitted_from: dt.datetime | None = None,
    submitted_to: dt.datetime | None = None,
    audience: Audience = Audience.PROTECTED,
    rule: FlagRule | None = None,
    threshold: int | None = None,
) -> Report:
    """The representativeness report of a survey against an area's census baselines.

    For the protected audience (anyone without the equality-data permission, every download, the
    command's default output) the figures are protected by `representativeness.disclosure`: small
    counts hidden with complements, derived figures rounded, p- and q-values banded.
    """
    area = area_get(code=area_code)
    if area is None:
        raise ReportError(f"No census area with the code {area_code!r} is loaded.")
    protection = protection_for(audience=audience, survey=survey)
    if threshold is not None:
        protection = dataclasses.replace(protection, threshold=threshold)
    respondent_wards_for(survey=survey, area=area, exact=protection.exact)
    snapshot = None if protection.exact else published_snapshot(survey=survey)
    population = survey_population(
        survey,
        area=area,
        channel=channel,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        through_id=None if snapshot is None else snapshot.through_profile_id,
    )
    report = population_report(population=population, area_code=area_code, protection=protection, rule=rule)
    if snapshot is not None:
        report.notes = [snapshot.note(), *report.notes]
        if snapshot.responses == 0 and survey.responses.exists():
            report.unpublished = snapshot.note()
    report.survey = survey
    report.filters = {"channel": channel, "submitted_from": submitted_from, "submitted_to": submitted_to}
    return report


def population_report(
    *, population: Population, area_code: str, protection: Protection, rule: FlagRule | None = None
) -> Report:
    """Any population against an area's census baselines: the same comparisons, flags, protection and
    layout as a survey's report."""
    area = area_get(code=area_code)
    if area is None:
        raise ReportError(f"No census area with the code {area_code!r} is loaded.")
    rule = rule or flag_rule_from_settings()
    comparisons, notes = characteristic_comparisons(
        area_code=area_code,
        tallies=population.tallies,
        minimum_age=population.minimum_age,
        maximum_age=population.maximum_age,
        merged=population.merged,
    )
    notes[:0] = population.notes
    notes += [
        f"{c.label} is not compared: the survey asks only part of its two-part question, so the census "
        'category of a "yes" cannot be known.'
        for c in population.partial
    ]
    if population.age is not None:
        age = _age_comparison(population, area_code=area_code, exact=protection.exact)
        (notes.append(age) if isinstance(age, str) else comparisons.insert(0, age))
    if population.areas is not None:
        tally, ward_codes = population.areas
        wards = wards_elsewhere_note(ward_codes=ward_codes, area=area) or area_comparison(
            tally=tally, ward_codes=ward_codes, minimum_age=population.minimum_age
        )
        (notes.append(wards) if isinstance(wards, str) else comparisons.append(wards))

    tables = (
        compare_report({(c.key, c.level): (c.respondents, c.census) for c in comparisons}, rule=rule)
        if comparisons
        else {}
    )
    joint = None
    if population.sex_by_age is not None:
        bands = survey_age_bands(population.minimum_age)
        joint = sex_by_age_comparison(area_code=area_code, tally=population.sex_by_age(bands), bands=bands)
    reference = (
        {}
        if protection.exact
        else _reference_census(
            population,
            area_code=area_code,
            compared=[*comparisons, *([joint] if isinstance(joint, Comparison) else [])],
        )
    )

    characteristics = _characteristic_reports(
        comparisons, tables, total=population.respondents, rule=rule, protection=protection, reference=reference
    )
    intersections: list[CharacteristicReport] = []
    if joint is not None:
        if isinstance(joint, str):
            notes.append(joint)
        else:
            # Its own family: the one-characteristic comparisons keep their q-values.
            joint_tables = compare_report({(joint.key, joint.level): (joint.respondents, joint.census)}, rule=rule)
            intersections = _characteristic_reports(
                [joint],
                joint_tables,
                total=population.respondents,
                rule=rule,
                protection=protection,
                margins={joint.key: sex_by_age_margins(survey_age_bands(population.minimum_age))},
                reference=reference,
            )
    return Report(
        survey=population,  # type: ignore[arg-type]  # named by slug and title, like a survey
        area_code=area.code,
        area_name=area.name,
        filters={},
        respondents=population.respondents,
        generated_at=timezone.now(),
        rule=rule,
        suppression_threshold=protection.threshold,
        suppressed=not protection.exact,
        characteristics=characteristics,
        notes=notes,
        asks_about_you=population.asks_about_you,
        intersections=intersections,
    )


def _reference_census(
    population: Population, *, area_code: str, compared: list[Comparison]
) -> dict[tuple[str, str], pd.Series]:
    """By (characteristic, level), the census of the survey's default report area, whichever area is
    compared with: what complementary suppression chooses by, so every report of one snapshot hides
    the same cells (docs/disclosure-control.md). The wards' census is the same for every area."""
    code = report_area_default_code()
    fixed = {(c.key, c.level): c.census for c in compared if c.key == "area" or code == area_code}
    if code is None or code == area_code:
        return fixed
    comparisons, _ = characteristic_comparisons(
        area_code=code,
        tallies=population.tallies,
        minimum_age=population.minimum_age,
        maximum_age=population.maximum_age,
        merged=population.merged,
    )
    if population.age is not None:
        age = _age_comparison(population, area_code=code, exact=False)
        comparisons += [age] if isinstance(age, Comparison) else []
    if population.sex_by_age is not None:
        bands = survey_age_bands(population.minimum_age)
        joint = sex_by_age_comparison(area_code=code, tally=population.sex_by_age(bands), bands=bands)
        comparisons += [joint] if isinstance(joint, Comparison) else []
    return {(c.key, c.level): c.census for c in comparisons} | fixed


def _characteristic_reports(
    comparisons: list[Comparison],
    tables: dict[Any, pd.DataFrame],
    *,
    total: int,
    rule: FlagRule,
    protection: Protection,
    margins: Mapping[str, Mapping[Hashable, Sequence[Hashable]]] | None = None,
    reference: Mapping[tuple[str, str], pd.Series] | None = None,
) -> list[CharacteristicReport]:
    """Each comparison as the audience may see it, with its goodness of fit and joint outreach target."""
    protected = characteristics_protect(
        comparisons, tables, total=total, rule=rule, protection=protection, margins=margins, reference=reference
    )
    characteristics = []
    for comparison in comparisons:
        published = protected[comparison.key]
        fit = chi_square_goodness_of_fit(comparison.respondents, comparison.census, ordered=comparison.ordered)
        goodness: dict[str, Any] | None = {
            "statistic": None if pd.isna(fit.statistic) else float(fit.statistic),
            "df": fit.df,
            "p_value": None if pd.isna(fit.p_value) else float(fit.p_value),
            "merged": [list(map(str, group)) for group in fit.merged],
        }
        exact = tables[(comparison.key, comparison.level)]
        under = exact[exact["flag"] == "under_represented"]
        joint = (
            joint_outreach_needed(
                [int(x) for x in under["respondents"]],
                int(comparison.respondents.sum()),
                [float(x) for x in under["census_share"]],
                rule.outreach_target,
            )
            if len(under) >= 2
            else None
        )
        characteristics.append(
            CharacteristicReport(
                joint_outreach_needed=None if joint is None else int(protection.outreach(joint) or 0),
                key=comparison.key,
                level=comparison.level,
                label=comparison.label,
                census_table=comparison.table,
                census_base=comparison.base,
                census_source=comparison.source,
                census_not_answered_rate=comparison.not_answered_rate,
                categories=comparison_records(published.tables[comparison.level]),
                goodness_of_fit=protect_goodness_of_fit(
                    goodness, any_hidden=published.any_hidden, protection=protection
                ),
                notes=comparison.notes,
                census_base_matches_survey=comparison.base_matches_survey,
                census_only_older=comparison.census_only_older,
                census_estimated=comparison.census_estimated,
                census_top_level_only=comparison.top_level_only,
                **published.counts,
            )
        )
    return characteristics
