"""report_build: count the respondents, compare them with the census, adjust, flag and suppress."""

import dataclasses
import datetime as dt
import functools
from typing import Any

import pandas as pd
from django.utils import timezone

from representativeness.age_bands import survey_age_bands
from representativeness.disclosure import Audience, protect_goodness_of_fit, protection_for
from representativeness.disclosure.snapshot import published_snapshot
from representativeness.errors import ReportError
from representativeness.reports.builder.comparisons import age_comparison, area_comparison, characteristic_comparisons
from representativeness.reports.builder.protection import characteristics_protect
from representativeness.reports.builder.report import CharacteristicReport, Report
from representativeness.reports.builder.tallies import RESPONDENTS, age_tally, tally_of, ward_label
from representativeness.respondent_areas import respondent_wards
from representativeness.rules import flag_rule_from_settings
from representativeness.selectors import area_get
from representativeness.stats.comparison import compare_report, comparison_records
from representativeness.stats.flags import FlagRule
from representativeness.stats.goodness_of_fit import chi_square_goodness_of_fit
from representativeness.stats.outreach import joint_outreach_needed
from surveys.equality.mapping import CENSUS_CHARACTERISTICS, census_category
from surveys.equality.selectors import ProfileFilter, equality_counts, survey_area_codes, survey_equality_keys
from surveys.models import Survey


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
    command's default output) the figures are protected by `representativeness.disclosure`: counted
    from the survey's published snapshot (refreshed only after enough new responses), small counts
    hidden with complements, derived figures rounded, p- and q-values banded.
    """
    area = area_get(code=area_code)
    if area is None:
        raise ReportError(f"No census area with the code {area_code!r} is loaded.")
    rule = rule or flag_rule_from_settings()
    protection = protection_for(audience=audience, survey=survey)
    if threshold is not None:
        protection = dataclasses.replace(protection, threshold=threshold)
    resident_wards = respondent_wards(survey=survey, area=area)
    snapshot = None if protection.exact else published_snapshot(survey=survey)
    where = ProfileFilter(
        survey.pk,
        channel=channel,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        wards=resident_wards,
        through_id=None if snapshot is None else snapshot.through_profile_id,
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
    respondents_total = int(frames[groupings[0]][RESPONDENTS].sum()) if groupings else 0

    tallies = {c.key: tally_of(frames[c.columns], c.columns, functools.partial(census_category, c.key)) for c in wanted}
    comparisons, notes = characteristic_comparisons(
        area_code=area_code, tallies=tallies, minimum_age=survey.minimum_age
    )
    if resident_wards is not None:
        notes.insert(0, f"Only the respondents who said they live in {area.name} are compared with its census.")
    notes += [
        f"{c.label} is not compared: the survey asks only part of its two-part question, so the census "
        'category of a "yes" cannot be known.'
        for c in partial
    ]
    if ("age", "age_status") in frames:
        bands = survey_age_bands(survey.minimum_age)
        age = age_comparison(
            area_code=area_code,
            tally=age_tally(frames[("age", "age_status")], bands),
            bands=bands,
            exact=protection.exact,
        )
        (notes.append(age) if isinstance(age, str) else comparisons.insert(0, age))
    if ("area",) in frames:
        wards = area_comparison(
            tally=tally_of(frames[("area",)], ("area",), ward_label),
            ward_codes=survey_area_codes(survey_id=survey.pk),
            minimum_age=survey.minimum_age,
        )
        (notes.append(wards) if isinstance(wards, str) else comparisons.append(wards))

    tables = (
        compare_report({(c.key, c.level): (c.respondents, c.census) for c in comparisons}, rule=rule)
        if comparisons
        else {}
    )

    protected = characteristics_protect(comparisons, tables, total=respondents_total, rule=rule, protection=protection)
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
                census_top_level_only=comparison.top_level_only,
                **published.counts,
            )
        )
    return Report(
        survey=survey,
        area_code=area.code,
        area_name=area.name,
        filters={"channel": channel, "submitted_from": submitted_from, "submitted_to": submitted_to},
        respondents=respondents_total,
        generated_at=timezone.now(),
        rule=rule,
        suppression_threshold=protection.threshold,
        suppressed=not protection.exact,
        characteristics=characteristics,
        notes=notes if snapshot is None else [snapshot.note(), *notes],
        asks_about_you=bool(asked_keys),
    )
