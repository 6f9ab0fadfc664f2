"""Build a survey's representativeness report: respondents against Census 2021, characteristic by characteristic.

The respondents are counted in the database (surveys.equality.selectors), the census is read through
representativeness.selectors, and the statistics are the pure functions in representativeness.stats.
This module only joins them up: which categories to compare, on which census base, at which levels,
and what to say about it.
"""

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.conf import settings
from django.utils import timezone

from representativeness.census.tables import CENSUS_TABLES, MIN_AGE, CensusTable
from representativeness.selectors import (
    AgeBandsNotAligned,
    BaselineNotFound,
    age_band_counts,
    age_band_label,
    area_get,
    area_populations,
    baseline_category_counts,
    baseline_get,
)
from representativeness.stats.comparison import compare_report, comparison_records
from representativeness.stats.flags import FlagRule
from representativeness.stats.goodness_of_fit import chi_square_goodness_of_fit
from representativeness.stats.suppression import SumGroup, apply_suppression, suppression_mask
from surveys.equality.library import PREFER_NOT_TO_SAY, STANDARD_QUESTIONS
from surveys.equality.mapping import CENSUS_CHARACTERISTICS, NOT_ASKED, SKIPPED, census_category
from surveys.equality.selectors import ProfileFilter, equality_counts, survey_area_codes, survey_equality_keys
from surveys.models import Survey

CENSUS_DATE = dt.date(2021, 3, 21)
AGE_BAND_EDGES = (16, 25, 35, 45, 55, 65, 75)
RESPONDENTS = "respondents"
# The cell of a characteristic's counts that its categories add up to (see `_suppression_masks`).
ANSWERED = "__answered__"


HEADLINE_GROUPS = 6


def _in_sentence(label: str) -> str:
    """A characteristic's label inside a sentence: "Main language and English" -> "main language and English"."""
    return label[:1].lower() + label[1:]


class ReportError(ValueError):
    """The report cannot be built as asked (unknown area, no baselines); the message says why."""


@dataclass
class CharacteristicReport:
    key: str
    level: str  # "detailed" or "broad"
    label: str
    census_table: str
    census_base: str
    census_source: str
    asked: int | None
    answered: int | None
    prefer_not_to_say: int | None
    skipped: int | None
    not_asked: int | None
    census_not_answered_rate: float | None
    categories: list[dict[str, Any]]
    goodness_of_fit: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)

    @property
    def under_represented(self) -> list[str]:
        return [c["category"] for c in self.categories if c["flag"] == "under_represented"]


@dataclass
class Report:
    survey: Survey
    area_code: str
    area_name: str
    filters: dict[str, Any]
    respondents: int
    generated_at: dt.datetime
    rule: FlagRule
    suppression_threshold: int
    suppressed: bool
    characteristics: list[CharacteristicReport]
    notes: list[str]
    asks_about_you: bool = True

    @property
    def under_represented(self) -> list[tuple[str, str, float | None]]:
        """(category, characteristic label, ratio) of every under-represented group, broad levels first."""
        seen: list[tuple[str, str, float | None]] = []
        for level in ("broad", "detailed"):
            for characteristic in self.characteristics:
                if characteristic.level == level:
                    seen.extend(
                        (row["category"], characteristic.label, row["ratio"])
                        for row in characteristic.categories
                        if row["flag"] == "under_represented"
                    )
        return seen

    @property
    def headline(self) -> str:
        groups = self.under_represented
        if not self.asks_about_you:
            return (
                'This survey does not ask the "About you" questions, so its respondents cannot be compared '
                "with the census."
            )
        if self.respondents == 0:
            return "Nobody has responded yet, so there is nothing to compare with the census."
        if not groups:
            return "No group is clearly under-represented among respondents, on the evidence so far."
        count = len(groups)
        if count > HEADLINE_GROUPS:
            # Name the groups furthest below their census share (hidden ratios last); the tables have the rest.
            groups = sorted(groups, key=lambda g: (g[2] is None, g[2] or 0.0))[:HEADLINE_GROUPS]
            names = "; ".join(f"{category} ({_in_sentence(label)})" for category, label, _ in groups)
            return f"{count} groups are under-represented. Furthest below their census share: {names}."
        names = "; ".join(f"{category} ({_in_sentence(label)})" for category, label, _ in groups)
        return f"{count} group{'s are' if count != 1 else ' is'} under-represented: {names}."


def flag_rule_from_settings() -> FlagRule:
    config = settings.REPRESENTATIVENESS
    return FlagRule(
        under_ratio=config["UNDER_RATIO"],
        over_ratio=config["OVER_RATIO"],
        q_threshold=config["Q_THRESHOLD"],
        small_count=config["SMALL_COUNT_WARNING"],
        outreach_target=config["OUTREACH_TARGET_RATIO"],
    )


def survey_age_bands(minimum_age: int) -> list[tuple[int, int | None]]:
    """16 to 24, 25 to 34, ... 75 and over, starting at the survey's youngest eligible age."""
    edges = [minimum_age, *(e for e in AGE_BAND_EDGES if e > minimum_age)]
    return [(low, high - 1) for low, high in zip(edges, edges[1:], strict=False)] + [(edges[-1], None)]


@dataclass
class _Tally:
    """One characteristic's respondents: counts per census label plus the answers that are not categories."""

    by_label: pd.Series
    prefer_not_to_say: int = 0
    skipped: int = 0
    not_asked: int = 0
    outside_ages: int = 0

    @property
    def answered(self) -> int:
        return int(self.by_label.sum())


def _tally(frame: pd.DataFrame, columns: Sequence[str], to_label: Callable[[tuple[Any, ...]], str]) -> _Tally:
    """Add up a GROUP BY's rows by what `to_label` makes of each row's values: a category or not an answer."""
    labels: dict[str, int] = {}
    tally = _Tally(by_label=pd.Series(dtype="int64"))
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


def _ward_label(values: tuple[Any, ...]) -> str:
    (value,) = values
    return NOT_ASKED if value is None else str(value)


def _age_tally(frame: pd.DataFrame, bands: list[tuple[int, int | None]]) -> _Tally:
    tally = _Tally(by_label=pd.Series(0, index=[age_band_label(b) for b in bands], dtype="int64"))
    for age_value, status_value, count_value in zip(
        frame["age"].tolist(), frame["age_status"].tolist(), frame[RESPONDENTS].tolist(), strict=True
    ):
        count = int(count_value)
        status = "" if pd.isna(status_value) else status_value
        if not pd.isna(age_value):
            age = int(age_value)
            band = next((b for b in bands if age >= b[0] and (b[1] is None or age <= b[1])), None)
            if band is None:
                # Counted with "not asked", so that a small number of them is never shown on its own.
                tally.outside_ages += count
                tally.not_asked += count
            else:
                tally.by_label[age_band_label(band)] += count
        elif status == PREFER_NOT_TO_SAY:
            tally.prefer_not_to_say += count
        elif status == SKIPPED:
            tally.skipped += count
        else:
            tally.not_asked += count
    return tally


def _levels(table: CensusTable) -> list[str]:
    """Broad only where the survey's options are broad (gender identity); else detailed, and broad if grouped."""
    mapped = [o.census for q in STANDARD_QUESTIONS for o in q.options if o.census and o.census.table == table.code]
    if any(c.level == "broad" for c in mapped):
        return ["broad"]
    return ["detailed", "broad"] if table.has_groups else ["detailed"]


def _at_level(tally: _Tally, table: CensusTable, level: str, categories: list[str]) -> pd.Series:
    counts = tally.by_label
    if level == "broad":
        counts = counts.groupby(lambda label: table.broad.get(label, label)).sum()
    unknown = set(counts.index) - set(categories)
    if unknown:  # the library and the census tables disagree: a bug, not bad input
        raise ReportError(f"{table.code}: answers map to categories the census does not have: {sorted(unknown)}")
    return counts.reindex(categories, fill_value=0).astype("int64")


def _base_note(table: CensusTable, minimum_age: int) -> tuple[str, list[str]]:
    base = str(table.population_base.label)
    table_min = MIN_AGE[table.population_base]
    notes = []
    if table_min < minimum_age:
        notes.append(
            f"The census counts {table.code} for {base.lower()}; no table for people aged {minimum_age} and over "
            "is loaded, so the census shares include younger people the survey does not ask."
        )
    return base, notes


@dataclass
class _Comparison:
    key: str
    level: str
    label: str
    table: str
    base: str
    source: str
    tally: _Tally
    respondents: pd.Series
    census: pd.Series
    not_answered_rate: float | None
    notes: list[str]
    ordered: bool = False


def _characteristic_comparisons(
    *, area_code: str, tallies: dict[str, _Tally], minimum_age: int
) -> tuple[list[_Comparison], list[str]]:
    comparisons: list[_Comparison] = []
    notes: list[str] = []
    for characteristic in CENSUS_CHARACTERISTICS:
        if characteristic.key not in tallies:
            continue
        table = CENSUS_TABLES[characteristic.table]
        baseline = baseline_get(area_code=area_code, table=table.code)
        if baseline is None:
            notes.append(f"{characteristic.label} is not compared: no {table.code} baseline is loaded for this area.")
            continue
        base, base_notes = _base_note(table, minimum_age)
        levels = _levels(table)
        for level in levels:
            census_all = baseline_category_counts(area_code=area_code, table=table.code, level=level)
            not_answered = table.not_answered if table.not_answered in census_all.index else None
            census_total = int(census_all.sum())
            rate = float(census_all[not_answered]) / census_total if not_answered and census_total else None
            census = census_all.drop(not_answered) if not_answered else census_all
            level_notes = list(base_notes)
            if rate is not None:
                level_notes.append(
                    f"{rate:.1%} of census residents did not answer this question; "
                    "they are left out of the census shares, as respondents who did not answer are."
                )
            label = (
                characteristic.label
                if level == "detailed" or len(levels) == 1
                else (f"{characteristic.label}, broad groups")
            )
            comparisons.append(
                _Comparison(
                    key=characteristic.key,
                    level=level,
                    label=label,
                    table=table.code,
                    base=base,
                    source=baseline.source_file_name,
                    tally=tallies[characteristic.key],
                    respondents=_at_level(tallies[characteristic.key], table, level, list(census.index)),
                    census=census.astype("int64"),
                    not_answered_rate=rate,
                    notes=level_notes,
                )
            )
    return comparisons, notes


def _age_comparison(*, area_code: str, tally: _Tally, bands: list[tuple[int, int | None]]) -> _Comparison | str:
    try:
        census = age_band_counts(area_code=area_code, bands=bands)
    except (BaselineNotFound, AgeBandsNotAligned) as error:
        return f"Age is not compared: {error}"
    notes = [census.attrs["note"]] if census.attrs.get("note") else []
    baseline = baseline_get(area_code=area_code, table=census.attrs["table"])
    if tally.outside_ages:
        notes.append("Some respondents gave an age below the survey's youngest eligible age; they are not compared.")
    return _Comparison(
        key="age",
        level="detailed",
        label="Age",
        table=census.attrs["table"],
        base=f"usual residents aged {bands[0][0]} and over",
        source=baseline.source_file_name if baseline else "",
        tally=tally,
        respondents=tally.by_label.astype("int64"),
        census=census.round().astype("int64"),
        not_answered_rate=None,
        notes=notes,
        ordered=True,
    )


def _area_comparison(*, tally: _Tally, ward_codes: list[str], minimum_age: int) -> _Comparison | str:
    populations = area_populations(area_codes=ward_codes, minimum_age=minimum_age)
    missing = [code for code in ward_codes if code not in populations.index]
    if missing:
        return (
            "Area of residence is not compared: these wards in the survey's list have no single-year age "
            f"baseline: {', '.join(missing)}."
        )
    names = populations["name"].to_dict()
    # Answers naming a ward no longer in the survey's list cannot be compared: count them as not asked.
    tally.not_asked += int(tally.by_label.drop(ward_codes, errors="ignore").sum())
    tally.by_label = tally.by_label.reindex(ward_codes, fill_value=0)
    census = populations["people"].rename(index=names).astype("int64")
    respondents = tally.by_label.reindex(ward_codes, fill_value=0).rename(index=names).astype("int64")
    return _Comparison(
        key="area",
        level="detailed",
        label="Ward",
        table="TS007",
        base=f"usual residents aged {minimum_age} and over, by ward",
        source="the age baseline of each ward",
        tally=tally,
        respondents=respondents,
        census=census,
        not_answered_rate=None,
        notes=[],
    )


def _suppression_masks(comparisons: list[_Comparison], threshold: int) -> dict[tuple[str, str], pd.Series]:
    """Which category cells to hide, per (characteristic, level), deciding a characteristic's levels together.

    A characteristic's detailed and broad tables show counts that add up (each broad group is the sum of
    its detailed groups, and the number who answered is the sum of either), so secondary suppression must
    see both at once, or a hidden detailed count could be recovered from its broad group. The counts of
    "Prefer not to say", skipped and not asked are always shown: they say nothing about which category
    anyone is in, and hiding them would force the number who answered, and so every share, to be hidden.
    A hidden count's flag is still shown: it says only which side of the thresholds the group falls.
    """
    by_key: dict[str, dict[str, _Comparison]] = {}
    for comparison in comparisons:
        by_key.setdefault(comparison.key, {})[comparison.level] = comparison
    masks: dict[tuple[str, str], pd.Series] = {}
    for key, levels in by_key.items():
        cells: dict[str, int] = {}
        groups: list[SumGroup] = []
        detailed, broad = levels.get("detailed"), levels.get("broad")
        any_level = detailed or broad
        assert any_level is not None
        cells[ANSWERED] = int(any_level.respondents.sum())
        for level, comparison in levels.items():
            cells.update({f"{level}:{c}": int(n) for c, n in comparison.respondents.items()})
        top = broad or detailed
        assert top is not None
        groups.append(SumGroup(ANSWERED, tuple(f"{top.level}:{c}" for c in top.respondents.index)))
        if detailed is not None and broad is not None:
            table = CENSUS_TABLES[detailed.table]
            for group in broad.respondents.index:
                groups.append(SumGroup(f"broad:{group}", tuple(f"detailed:{c}" for c in table.parts(group))))
        # The number who answered is always shown: it is the total less the three counts shown beside it.
        mask = suppression_mask(pd.Series(cells, dtype="int64"), groups, threshold=threshold, always_shown=[ANSWERED])
        for level, comparison in levels.items():
            level_mask = pd.Series(
                [bool(mask[f"{level}:{c}"]) for c in comparison.respondents.index], index=comparison.respondents.index
            )
            masks[(key, level)] = level_mask
    return masks


def _plain_count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def report_build(
    *,
    survey: Survey,
    area_code: str,
    channel: str | None = None,
    submitted_from: dt.datetime | None = None,
    submitted_to: dt.datetime | None = None,
    suppress: bool = True,
    rule: FlagRule | None = None,
    threshold: int | None = None,
) -> Report:
    """The representativeness report of a survey against an area's census baselines.

    `suppress=True` hides counts below the threshold (and everything built on them, with secondary
    suppression): for anyone without the equality-data permission and for every export.
    """
    area = area_get(code=area_code)
    if area is None:
        raise ReportError(f"No census area with the code {area_code!r} is loaded.")
    rule = rule or flag_rule_from_settings()
    threshold = settings.REPRESENTATIVENESS["SUPPRESSION_THRESHOLD"] if threshold is None else threshold
    where = ProfileFilter(survey.pk, channel=channel, submitted_from=submitted_from, submitted_to=submitted_to)
    asked_keys = set(survey_equality_keys(survey_id=survey.pk))

    wanted = [c for c in CENSUS_CHARACTERISTICS if set(c.columns) <= asked_keys]
    partial = [c for c in CENSUS_CHARACTERISTICS if set(c.columns) & asked_keys and not set(c.columns) <= asked_keys]
    groupings: list[tuple[str, ...]] = [c.columns for c in wanted]
    if "date_of_birth" in asked_keys:
        groupings.append(("age", "age_status"))
    if "area" in asked_keys:
        groupings.append(("area",))
    frames = dict(zip(groupings, equality_counts(where=where, groupings=groupings), strict=True))
    respondents_total = int(frames[groupings[0]][RESPONDENTS].sum()) if groupings else 0

    tallies = {c.key: _tally(frames[c.columns], c.columns, functools.partial(census_category, c.key)) for c in wanted}
    comparisons, notes = _characteristic_comparisons(
        area_code=area_code, tallies=tallies, minimum_age=survey.minimum_age
    )
    notes += [
        f"{c.label} is not compared: the survey asks only part of its two-part question, so the census "
        'category of a "yes" cannot be known.'
        for c in partial
    ]
    if ("age", "age_status") in frames:
        bands = survey_age_bands(survey.minimum_age)
        age = _age_comparison(area_code=area_code, tally=_age_tally(frames[("age", "age_status")], bands), bands=bands)
        (notes.append(age) if isinstance(age, str) else comparisons.insert(0, age))
    if ("area",) in frames:
        wards = _area_comparison(
            tally=_tally(frames[("area",)], ("area",), _ward_label),
            ward_codes=survey_area_codes(survey_id=survey.pk),
            minimum_age=survey.minimum_age,
        )
        (notes.append(wards) if isinstance(wards, str) else comparisons.append(wards))

    tables = (
        compare_report({(c.key, c.level): (c.respondents, c.census) for c in comparisons}, rule=rule)
        if comparisons
        else {}
    )

    masks = _suppression_masks(comparisons, threshold) if suppress else {}
    characteristics = []
    for comparison in comparisons:
        table = tables[(comparison.key, comparison.level)]
        fit = chi_square_goodness_of_fit(comparison.respondents, comparison.census, ordered=comparison.ordered)
        tally = comparison.tally
        counts: dict[str, Any] = {
            "asked": tally.answered + tally.prefer_not_to_say + tally.skipped,
            "answered": int(comparison.respondents.sum()),
            "prefer_not_to_say": tally.prefer_not_to_say,
            "skipped": tally.skipped,
            "not_asked": tally.not_asked,
        }
        goodness: dict[str, Any] | None = {
            "statistic": None if pd.isna(fit.statistic) else float(fit.statistic),
            "df": fit.df,
            "p_value": None if pd.isna(fit.p_value) else float(fit.p_value),
            "merged": [list(map(str, group)) for group in fit.merged],
        }
        if suppress:
            mask = masks[(comparison.key, comparison.level)]
            # A hidden row keeps only its census share: its flag or direction, beside the number who
            # answered and the census share, would narrow a small count down to its exact value.
            table = apply_suppression(table, mask, denominator=None, keep_when_count_hidden=("census_share",))
            if mask.any():
                goodness = None  # its observed counts would give the hidden cells back
        else:
            table = table.assign(suppressed=False)
        characteristics.append(
            CharacteristicReport(
                key=comparison.key,
                level=comparison.level,
                label=comparison.label,
                census_table=comparison.table,
                census_base=comparison.base,
                census_source=comparison.source,
                census_not_answered_rate=comparison.not_answered_rate,
                categories=comparison_records(table),
                goodness_of_fit=goodness,
                notes=comparison.notes,
                **{k: _plain_count(v) for k, v in counts.items()},
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
        suppression_threshold=threshold,
        suppressed=suppress,
        characteristics=characteristics,
        notes=notes,
        asks_about_you=bool(asked_keys),
    )
