"""Which respondents to compare with which census counts, on which base and at which levels."""

from dataclasses import dataclass, field

import pandas as pd

from representativeness.age_bands import ages_text
from representativeness.census.tables import CENSUS_TABLES, MIN_AGE, CensusTable
from representativeness.errors import CensusMismatch
from representativeness.reports.builder.report import in_sentence
from representativeness.reports.builder.tallies import Tally
from representativeness.selectors import (
    AgeBandsNotAligned,
    BaselineNotFound,
    age_band_counts,
    area_populations,
    baseline_category_counts,
    baseline_get,
    sex_at_ages,
)
from surveys.equality.library import STANDARD_QUESTIONS
from surveys.equality.mapping import CENSUS_CHARACTERISTICS


def _levels(table: CensusTable) -> list[str]:
    """Broad only where the survey's options are broad (gender identity); else detailed, and broad if grouped."""
    mapped = [o.census for q in STANDARD_QUESTIONS for o in q.options if o.census and o.census.table == table.code]
    if any(c.level == "broad" for c in mapped):
        return ["broad"]
    return ["detailed", "broad"] if table.has_groups else ["detailed"]


def broad_of(table: CensusTable, label: str, merged: dict[str, tuple[str, ...]]) -> str:
    """The broad group of a detailed category, or of merged categories (all in one broad group)."""
    return table.broad.get(label) or table.broad.get(merged.get(label, (label,))[0], label)


def _merged_census(census: pd.Series, merged: dict[str, tuple[str, ...]]) -> pd.Series:
    """The census counts with the categories a population's classification merges added together."""
    label_of = {part: label for label, parts in merged.items() for part in parts}
    return census.groupby(lambda category: label_of.get(category, category), sort=False).sum()


def _at_level(
    tally: Tally, table: CensusTable, level: str, categories: list[str], merged: dict[str, tuple[str, ...]]
) -> pd.Series:
    counts = tally.by_label
    if level == "broad":
        counts = counts.groupby(lambda label: broad_of(table, label, merged)).sum()
    unknown = set(counts.index) - set(categories)
    if unknown:  # the library and the census tables disagree: a bug, not bad input
        raise CensusMismatch(f"{table.code}: answers map to categories the census does not have: {sorted(unknown)}")
    return counts.reindex(categories, fill_value=0).astype("int64")


def _base_note(table: CensusTable, minimum_age: int, maximum_age: int | None = None) -> tuple[str, list[str]]:
    base = str(table.population_base.label)
    notes = []
    if not _base_matches(table, minimum_age, maximum_age):
        older = MIN_AGE[table.population_base] > minimum_age and maximum_age is None
        notes.append(
            base_mismatch_note(table.code, base, minimum_age, maximum_age)
            if not older
            else f"The census asked {table.code} only of {base.lower()}; the survey asks people aged {minimum_age} "
            "and over, so the census shares leave out the younger people the survey asks."
        )
    return base, notes


def _base_matches(table: CensusTable, minimum_age: int, maximum_age: int | None = None) -> bool:
    # Equal ages only: a census base older than the survey's (16 and over for a survey of all ages) leaves out
    # people the survey asks, as a younger one includes people it does not.
    return MIN_AGE[table.population_base] == minimum_age and maximum_age is None


def base_mismatch_note(table_code: str, base: str, minimum_age: int, maximum_age: int | None = None) -> str:
    if maximum_age is not None:
        return (
            f"The census counts {table_code} for {base.lower()}; no census table gives it for people "
            f"{ages_text(minimum_age, maximum_age)}, so the census shares include people of other ages."
        )
    return (
        f"The census counts {table_code} for {base.lower()}; no census table gives it for people aged "
        f"{minimum_age} and over, so the census shares include younger people the survey does not ask."
    )


def _census_at_level(
    area_code: str, table: CensusTable, level: str, minimum_age: int, maximum_age: int | None = None
) -> pd.Series:
    if table.code == "TS008" and (minimum_age > 0 or maximum_age is not None):
        by_age = sex_at_ages(area_code=area_code, minimum_age=minimum_age, maximum_age=maximum_age)
        if by_age is not None:
            return by_age
    return baseline_category_counts(area_code=area_code, table=table.code, level=level)


@dataclass
class Comparison:
    key: str
    level: str
    label: str
    table: str
    base: str
    source: str
    tally: Tally
    respondents: pd.Series
    census: pd.Series
    not_answered_rate: float | None
    notes: list[str]
    ordered: bool = False
    # False where no census table gives the characteristic for the survey's ages (said in `notes` too).
    base_matches_survey: bool = True
    # True where the census asked the characteristic only of people older than the survey's youngest.
    census_only_older: bool = False
    # True where the census counts were estimated (5-year age bands shared out evenly over their years).
    census_estimated: bool = False
    # True where the census for this area gives only the table's top level (broad groups).
    top_level_only: bool = False
    # Categories the population's classification does not tell apart, compared together (label -> parts);
    # on a top-level-only comparison, those of `unpublished_detailed`.
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Where `top_level_only`: the respondents by detailed category, as the report of an area with the
    # detailed census compares them. Not compared or published here, but protected with the broad groups,
    # so the broad groups hidden are those that report hides (docs/disclosure-control.md).
    unpublished_detailed: pd.Series | None = None


def characteristic_comparisons(
    *,
    area_code: str,
    tallies: dict[str, Tally],
    minimum_age: int,
    merged: dict[str, dict[str, tuple[str, ...]]] | None = None,
    maximum_age: int | None = None,
) -> tuple[list[Comparison], list[str]]:
    comparisons: list[Comparison] = []
    notes: list[str] = []
    for characteristic in CENSUS_CHARACTERISTICS:
        if characteristic.key not in tallies:
            continue
        table = CENSUS_TABLES[characteristic.table]
        baseline = baseline_get(area_code=area_code, table=table.code)
        if baseline is None:
            notes.append(f"{characteristic.label} is not compared: no {table.code} baseline is loaded for this area.")
            continue
        levels = _levels(table)
        top_level_only = "detailed" in levels and table.has_groups and not _has_detailed(area_code, table)
        if top_level_only:
            levels = ["broad"]
        sex_by_age = (
            table.code == "TS008"
            and (minimum_age > 0 or maximum_age is not None)
            and sex_at_ages(area_code=area_code, minimum_age=minimum_age, maximum_age=maximum_age) is not None
        )
        if sex_by_age:
            base, base_notes = f"usual residents {ages_text(minimum_age, maximum_age)}", list[str]()
        else:
            base, base_notes = _base_note(table, minimum_age, maximum_age)
        if top_level_only:
            base_notes.append(
                f"The census for this area gives {in_sentence(characteristic.label)} only at its top level "
                f"({', '.join(table.broad_categories)}), so it is compared at that level."
            )
        for level in levels:
            census_all = _census_at_level(area_code, table, level, minimum_age, maximum_age)
            not_answered = table.not_answered if table.not_answered in census_all.index else None
            census_total = int(census_all.sum())
            rate = float(census_all[not_answered]) / census_total if not_answered and census_total else None
            census = census_all.drop(not_answered) if not_answered else census_all
            merges = (merged or {}).get(characteristic.key, {}) if level == "detailed" else {}
            census = _merged_census(census, merges)
            level_notes = list(base_notes) + [
                f"{' and '.join(parts)} are compared together: the data does not tell them apart."
                for parts in merges.values()
            ]
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
            table_code = "TS009" if sex_by_age else table.code
            comparisons.append(
                Comparison(
                    key=characteristic.key,
                    level=level,
                    label=label,
                    table=table_code,
                    base=base,
                    source=(baseline_get(area_code=area_code, table="TS009") or baseline).source_file_name
                    if sex_by_age
                    else baseline.source_file_name,
                    tally=tallies[characteristic.key],
                    respondents=_at_level(
                        tallies[characteristic.key],
                        table,
                        level,
                        list(census.index),
                        (merged or {}).get(characteristic.key, {}),
                    ),
                    census=census.astype("int64"),
                    not_answered_rate=rate,
                    notes=level_notes,
                    base_matches_survey=sex_by_age or _base_matches(table, minimum_age, maximum_age),
                    census_only_older=maximum_age is None and MIN_AGE[table.population_base] > minimum_age,
                    top_level_only=top_level_only,
                    merged=(merged or {}).get(characteristic.key, {}) if top_level_only else merges,
                    unpublished_detailed=(
                        _detailed_respondents(
                            tallies[characteristic.key], table, (merged or {}).get(characteristic.key, {})
                        )
                        if top_level_only
                        else None
                    ),
                )
            )
    return comparisons, notes


def _detailed_respondents(tally: Tally, table: CensusTable, merged: dict[str, tuple[str, ...]]) -> pd.Series:
    """Respondents by detailed category, labelled as a detailed census would label them (merged alike)."""
    categories = [c for c in table.categories if c != table.not_answered]
    labels = _merged_census(pd.Series(0, index=categories, dtype="int64"), merged).index
    return _at_level(tally, table, "detailed", list(labels), merged)


def _has_detailed(area_code: str, table: CensusTable) -> bool:
    return not baseline_category_counts(area_code=area_code, table=table.code, level="detailed").empty


def age_comparison(
    *, area_code: str, tally: Tally, bands: list[tuple[int, int | None]], exact: bool
) -> Comparison | str:
    try:
        census = age_band_counts(area_code=area_code, bands=bands)
    except (BaselineNotFound, AgeBandsNotAligned) as error:
        return f"Age is not compared: {error}"
    notes = [census.attrs["note"]] if census.attrs.get("note") else []
    baseline = baseline_get(area_code=area_code, table=census.attrs["table"])
    if tally.outside_ages and exact:  # would tell anyone else that someone under age responded
        notes.append(
            f"{tally.outside_ages} respondent(s) gave an age below the survey's youngest eligible age; they are "
            "counted with those who skipped the question."
        )
    return Comparison(
        key="age",
        level="detailed",
        label="Age",
        table=census.attrs["table"],
        base=f"usual residents {ages_text(bands[0][0], bands[-1][1])}",
        source=baseline.source_file_name if baseline else "",
        tally=tally,
        respondents=tally.by_label.astype("int64"),
        census=census.round().astype("int64"),
        not_answered_rate=None,
        notes=notes,
        ordered=True,
        census_estimated=not census.attrs.get("aligned", True),
    )


def area_comparison(*, tally: Tally, ward_codes: list[str], minimum_age: int) -> Comparison | str:
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
    return Comparison(
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
