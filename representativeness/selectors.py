"""Reading census baselines for reports: category counts, totals, ages and age bands, for an area or a
custom area made of several (whose counts are summed in the database, one GROUP BY).

Counts come back as pandas Series in canonical ONS order. Use each table's own total (or the sum of its
categories) as its denominator: every table carries its own small perturbation.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum

from representativeness.census.choices import AreaLevel, CountLevel, Sex, SourceFormat
from representativeness.census.tables import CENSUS_TABLES, TABLES_BY_CHARACTERISTIC, CensusTable, census_table
from representativeness.models import Area, Baseline, BaselineCount

AgeBand = tuple[int, int | None]  # inclusive; None as the upper end means "and over"


class BaselineNotFound(LookupError):
    """The area has no baseline for the table (for a custom area: one of its components has none)."""


class AgeBandsNotAligned(ValueError):
    """The census publishes this area's ages only in bands that the survey's bands cut across."""

    def __init__(self, message: str, *, table: str, bands: list[str]) -> None:
        super().__init__(message)
        self.table = table
        self.bands = bands


@dataclass(frozen=True)
class CompositeAreaSummary:
    area: Area
    components: list[Area]
    tables: list[str]  # the tables every component has, so the custom area has too


def _sex(sex: str | None) -> Sex:
    return Sex(sex or "")


# Areas


def area_list(*, level: str | None = None) -> QuerySet[Area]:
    areas = Area.objects.all()
    return areas.filter(level=level) if level else areas


def council_list() -> QuerySet[Area]:
    """The councils (local authorities) whose census is loaded: those a ward upload can be placed in."""
    return Area.objects.filter(level=AreaLevel.LOCAL_AUTHORITY).order_by("name")


def wards_in_other_councils(*, council_code: str, ward_codes: Collection[str]) -> list[Area]:
    """The loaded wards among `ward_codes` already placed in a council other than `council_code`."""
    return list(
        Area.objects.filter(code__in=ward_codes, level=AreaLevel.WARD, parent__isnull=False)
        .exclude(parent__code=council_code)
        .select_related("parent")
        .order_by("code")
    )


def ward_councils(*, ward_codes: Collection[str]) -> list[Area]:
    """The councils the loaded wards among `ward_codes` are placed in, by name."""
    return list(
        Area.objects.filter(children__code__in=ward_codes, children__level=AreaLevel.WARD).distinct().order_by("name")
    )


def report_area_list() -> QuerySet[Area]:
    """The areas a report can compare with: every area with baselines but wards (a ward is compared by
    choosing it, never offered as the default)."""
    return Area.objects.filter(baselines__isnull=False).exclude(level=AreaLevel.WARD).distinct()


def report_area_default_code() -> str | None:
    """The council's own area when its baselines are loaded, else the first area that has some."""
    areas = report_area_list()
    first = areas.filter(code=settings.COUNCIL["area_code"]).first() or areas.first()
    return first.code if first is not None else None


def area_get(*, code: str) -> Area | None:
    return Area.objects.filter(code=code.strip()).first()


def council_wards(*, council_code: str) -> list[tuple[str, str]]:
    """(code, name) of the wards loaded for a council (by name): what its surveys' ward question offers.
    Given a ward's code, its council's wards."""
    area = area_get(code=council_code)
    if area is not None and area.level == AreaLevel.WARD:
        area = area.parent
    if area is None:
        return []
    return list(Area.objects.filter(parent=area, level=AreaLevel.WARD).order_by("name").values_list("code", "name"))


def composite_area_list() -> list[CompositeAreaSummary]:
    summaries = []
    for area in Area.objects.filter(level=AreaLevel.CUSTOM).prefetch_related("components"):
        components = list(area.components.all())
        tables = (
            Baseline.objects.filter(area__in=components)
            .values("table")
            .annotate(areas=Count("area", distinct=True))
            .filter(areas=len(components))
            .values_list("table", flat=True)
        )
        summaries.append(CompositeAreaSummary(area, components, sorted(tables)))
    return summaries


# Baselines


def baseline_list() -> QuerySet[Baseline]:
    """Every stored baseline with its area, importer and all-persons total (`total_count`)."""
    return (
        Baseline.objects.select_related("area", "imported_by")
        .annotate(total_count=Sum("counts__count", filter=Q(counts__level=CountLevel.TOTAL, counts__sex=Sex.ALL)))
        .order_by("area__level", "area__name", "table")
    )


def _area_or_raise(area_code: str) -> Area:
    area = area_get(code=area_code)
    if area is None:
        raise BaselineNotFound(f"No area with the code {area_code}.")
    return area


def _counts(area: Area, table: CensusTable) -> QuerySet[BaselineCount]:
    """The stored counts behind an area's baseline: its own, or all of its components'."""
    if not area.is_composite:
        if not Baseline.objects.filter(area=area, table=table.code).exists():
            raise BaselineNotFound(f"{area} has no {table.code} {table.title} baseline.")
        return BaselineCount.objects.filter(baseline__area=area, baseline__table=table.code)
    components = list(area.components.all())
    have = set(Baseline.objects.filter(area__in=components, table=table.code).values_list("area__code", flat=True))
    missing = sorted(c.code for c in components if c.code not in have)
    if not components or missing:
        raise BaselineNotFound(
            f"{area} has no {table.code} baseline: "
            + (f"no {table.code} for {', '.join(missing)}." if missing else "it has no component areas.")
        )
    return BaselineCount.objects.filter(baseline__area__in=components, baseline__table=table.code)


def baseline_get(*, area_code: str, table: str) -> Baseline | None:
    """The area's baseline for the table. For a custom area, an unsaved Baseline describing the sum of its
    components (source_format "composite"), or None when any component lacks the table."""
    definition = census_table(table)
    area = area_get(code=area_code)
    if area is None:
        return None
    if not area.is_composite:
        return Baseline.objects.filter(area=area, table=definition.code).select_related("area").first()
    components = list(area.components.all())
    stored = Baseline.objects.filter(area__in=components, table=definition.code)
    if not components or stored.count() != len(components):
        return None
    return Baseline(
        area=area,
        table=definition.code,
        population_base=definition.population_base,
        source_file_name="Sum of " + ", ".join(sorted(c.code for c in components)),
        source_format=SourceFormat.COMPOSITE,
        imported_at=stored.aggregate(latest=Max("imported_at"))["latest"],
    )


def baseline_area_codes_with(*, table: str, area_codes: Sequence[str]) -> set[str]:
    """Which of these areas already have a baseline for the table (an import would replace them)."""
    return set(
        Baseline.objects.filter(table=census_table(table).code, area__code__in=list(area_codes)).values_list(
            "area__code", flat=True
        )
    )


def baseline_tables(*, area_code: str) -> list[str]:
    """The census tables available for an area (for a custom area, those every component has)."""
    area = area_get(code=area_code)
    if area is None:
        return []
    if not area.is_composite:
        return sorted(Baseline.objects.filter(area=area).values_list("table", flat=True))
    return next((s.tables for s in composite_area_list() if s.area.pk == area.pk), [])


def baseline_total(*, area_code: str, table: str, sex: str | None = None) -> int:
    """The table's own total for the area (as published, or the sum of its categories where the file had none)."""
    definition = census_table(table)
    counts = _counts(_area_or_raise(area_code), definition)
    return int(counts.filter(level=CountLevel.TOTAL, sex=_sex(sex)).aggregate(n=Sum("count"))["n"] or 0)


def baseline_category_counts(
    *, area_code: str, table: str, level: str = CountLevel.DETAILED, sex: str | None = None
) -> pd.Series:
    """Count per category (canonical label -> count) in ONS order, "Not answered" included.

    `attrs` carries `table`, `level`, `population_base`, `not_answered` (its label, or None) and `total`.
    `level="broad"` gives the broad groups (derived from the detailed counts); tables without groups give
    their categories either way.
    """
    definition = census_table(table)
    level = CountLevel(level)
    if level == CountLevel.TOTAL:
        raise ValueError("Use baseline_total for the total.")
    counts = _counts(_area_or_raise(area_code), definition)
    stored_level = level if definition.has_groups else CountLevel.DETAILED
    rows = (
        counts.filter(level=stored_level, sex=_sex(sex))
        .values("category", "position")
        .annotate(n=Sum("count"))
        .order_by("position")
    )
    series = pd.Series(
        {row["category"]: int(row["n"]) for row in rows}, dtype="int64", name=definition.code
    ).rename_axis("category")
    series.attrs.update(
        table=definition.code,
        level=str(level),
        population_base=str(definition.population_base),
        not_answered=definition.not_answered,
        total=baseline_total(area_code=area_code, table=definition.code, sex=sex),
    )
    return series


# Ages


def _age_table(area: Area, sex: Sex, *, single_year: bool) -> CensusTable:
    """The best age table the area has: single years to 100+ (TS007), then by sex to 90+ (TS009), then 5-year bands."""
    candidates = TABLES_BY_CHARACTERISTIC["age"]
    for code in candidates:
        definition = CENSUS_TABLES[code]
        if sex != Sex.ALL and not definition.by_sex:
            continue
        if single_year and code == "TS007A":
            continue
        try:
            _counts(area, definition)
        except BaselineNotFound:
            continue
        return definition
    wanted = "single-year age" if single_year else "age"
    by_sex = f" by sex ({sex.label})" if sex != Sex.ALL else ""
    raise BaselineNotFound(f"{area} has no {wanted} baseline{by_sex} (tables {', '.join(candidates)}).")


def _age_rows(area: Area, definition: CensusTable, sex: Sex) -> list[Mapping[str, Any]]:
    return list(
        _counts(area, definition)
        .filter(level=CountLevel.DETAILED, sex=sex)
        .values("age_min", "age_max", "position")
        .annotate(n=Sum("count"))
        .order_by("position")
    )


def baseline_age_counts(*, area_code: str, sex: str | None = None) -> pd.Series:
    """People by single year of age, indexed 0..top, where the top age means "top and over".

    From TS007 (top 100) or, by sex or where TS007 is missing, TS009 (top 90); `attrs["table"]` and
    `attrs["open_ended_from"]` say which.
    """
    area = _area_or_raise(area_code)
    definition = _age_table(area, _sex(sex), single_year=True)
    rows = _age_rows(area, definition, _sex(sex))
    series = pd.Series({int(r["age_min"] or 0): int(r["n"] or 0) for r in rows}, dtype="int64", name="age")
    series = series.rename_axis("age")
    series.attrs.update(table=definition.code, open_ended_from=int(series.index.max()), sex=_sex(sex).label)
    return series


def age_band_label(band: AgeBand) -> str:
    low, high = band
    return f"{low} and over" if high is None else f"{low} to {high}"


def _check_bands(bands: Sequence[AgeBand]) -> None:
    previous_high = -1
    for low, high in bands:
        if low < 0 or (high is not None and high < low):
            raise ValueError(f"Age band {age_band_label((low, high))} is not a range.")
        if low <= previous_high:
            raise ValueError("Age bands must be in order and must not overlap.")
        if high is None and (low, high) != tuple(bands[-1]):
            raise ValueError("Only the last age band can be open-ended.")
        previous_high = high if high is not None else 10**6


def _overlap(low: int, high: int | None, band: AgeBand) -> tuple[bool, bool]:
    """(the category lies wholly in the band, the category and band share some ages)."""
    band_low, band_high = band
    inside = low >= band_low and (band_high is None or (high is not None and high <= band_high))
    shares = (band_high is None or low <= band_high) and (high is None or high >= band_low)
    return inside, shares


def sex_at_ages(*, area_code: str, minimum_age: int, maximum_age: int | None = None) -> pd.Series | None:
    """Female and male aged `minimum_age` and over (or up to `maximum_age`, for a young people's group), from
    the sex-by-age table (TS009), where it is loaded: the sex base that matches a survey's ages (the report
    compares with it and weighting rakes to it)."""
    try:
        counts = {
            sex: age_band_counts(area_code=area_code, bands=[(minimum_age, maximum_age)], sex=sex, allow_estimate=False)
            for sex in ("Female", "Male")
        }
    except (BaselineNotFound, AgeBandsNotAligned):
        return None
    if any(series.attrs["table"] != "TS009" for series in counts.values()):
        return None
    return pd.Series({sex: int(series.iloc[0]) for sex, series in counts.items()}, dtype="int64", name="TS009")


def age_band_counts(
    *, area_code: str, bands: Sequence[AgeBand], sex: str | None = None, allow_estimate: bool = True
) -> pd.Series:
    """People in each of a survey's age bands (inclusive; `(75, None)` is 75 and over), in the order given.

    From single years where the area has them (any bands work), else from TS007A's 5-year bands, which
    can be regrouped only where the survey's bands follow their edges. When they do not, the count of a
    5-year band the survey cuts is shared out evenly over its years (an estimate): `attrs["aligned"]` is
    False, `attrs["estimated_bands"]` lists the bands affected and `attrs["note"]` says so in words the
    report can print. With `allow_estimate=False` that case raises AgeBandsNotAligned instead.
    An open-ended census band ("90 and over") cannot be shared out, so cutting it always raises.
    """
    _check_bands(bands)
    area = _area_or_raise(area_code)
    who = _sex(sex)
    definition = _age_table(area, who, single_year=False)
    counts = _counts(area, definition).filter(level=CountLevel.DETAILED, sex=who)
    rows = _age_rows(area, definition, who)
    labels = [age_band_label(band) for band in bands]

    cut: dict[str, list[Mapping[str, Any]]] = {}
    for band, label in zip(bands, labels, strict=True):
        for row in rows:
            inside, shares = _overlap(int(row["age_min"] or 0), row["age_max"], band)
            if shares and not inside:
                cut.setdefault(label, []).append(row)
    open_cut = [label for label, cut_rows in cut.items() if any(r["age_max"] is None for r in cut_rows)]
    if open_cut or (cut and not allow_estimate):
        raise AgeBandsNotAligned(
            f"{definition.code} for {area} publishes ages in bands that the survey's age bands "
            f"{', '.join(open_cut or list(cut))} cut across.",
            table=definition.code,
            bands=open_cut or list(cut),
        )

    if not cut:
        # Every band is a union of whole census categories: sum them in the database.
        sums = counts.aggregate(
            **{
                f"band_{i}": Sum(
                    "count",
                    filter=Q(age_min__gte=low) & (Q() if high is None else Q(age_max__lte=high)),
                )
                for i, (low, high) in enumerate(bands)
            }
        )
        series = pd.Series([int(sums[f"band_{i}"] or 0) for i in range(len(bands))], index=labels, dtype="int64")
    else:
        values = []
        for band in bands:
            total = 0.0
            for row in rows:
                low, high = int(row["age_min"] or 0), row["age_max"]
                inside, shares = _overlap(low, high, band)
                if inside:
                    total += int(row["n"] or 0)
                elif shares and high is not None:
                    band_low, band_high = band
                    years = min(high, band_high if band_high is not None else high) - max(low, band_low) + 1
                    total += int(row["n"] or 0) * years / (high - low + 1)
            values.append(total)
        series = pd.Series(values, index=labels, dtype="float64")  # type: ignore[assignment]
    series = series.rename("people").rename_axis("age_band")
    note = ""
    if cut:
        note = (
            f"The census gives ages for {area.name} only in 5-year bands ({definition.code}), and the survey's "
            f"age bands {', '.join(cut)} do not follow them: those counts are estimated by sharing each 5-year "
            "band evenly across its years."
        )
    series.attrs.update(
        table=definition.code,
        aligned=not cut,
        estimated_bands=list(cut),
        note=note,
        bands=[tuple(b) for b in bands],
        sex=who.label,
    )
    return series


def baseline_age_sex_counts(*, area_code: str) -> pd.DataFrame:
    """People by single year of age (rows 0..90, 90 meaning 90 and over) and sex (columns Female, Male),
    from TS009, for post-stratification on age and sex together."""
    area = _area_or_raise(area_code)
    definition = CENSUS_TABLES["TS009"]
    rows = (
        _counts(area, definition)
        .filter(level=CountLevel.DETAILED, sex__in=[Sex.FEMALE, Sex.MALE])
        .values("age_min", "sex")
        .annotate(n=Sum("count"))
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["age_min", "sex", "n"])
    table = frame.pivot_table(index="age_min", columns="sex", values="n", aggfunc="sum").astype("int64")
    table = table.rename_axis(index="age", columns="sex").reindex(columns=[Sex.FEMALE.value, Sex.MALE.value])
    table.attrs.update(table=definition.code, open_ended_from=int(table.index.max()))
    return table


def age_sex_band_counts(*, area_code: str, bands: Sequence[AgeBand]) -> pd.DataFrame:
    """People in each survey age band (rows) by sex (columns Female, Male), from TS009."""
    columns = {
        sex.value: age_band_counts(area_code=area_code, bands=bands, sex=sex.value, allow_estimate=False)
        for sex in (Sex.FEMALE, Sex.MALE)
    }
    frame = pd.DataFrame(columns).rename_axis(index="age_band", columns="sex")
    frame.attrs.update(table="TS009")
    return frame


def area_populations(*, area_codes: Sequence[str], minimum_age: int = 0) -> pd.DataFrame:
    """People aged `minimum_age` and over in each of several areas (wards, say), in one GROUP BY.

    From each area's single-year age table (TS007, else TS009's all-persons counts). Columns `name` and
    `people`, indexed by area code in the order given; an area without a single-year age baseline is
    left out, so callers can tell which are missing.
    """
    preference = ("TS007", "TS009")
    rows = (
        BaselineCount.objects.filter(
            baseline__area__code__in=list(area_codes),
            baseline__table__in=preference,
            level=CountLevel.DETAILED,
            sex=Sex.ALL,
            age_min__gte=minimum_age,
        )
        .values("baseline__area__code", "baseline__area__name", "baseline__table")
        .annotate(people=Sum("count"))
    )
    best: dict[str, tuple[int, str, int]] = {}
    for row in rows:
        code, rank = row["baseline__area__code"], preference.index(row["baseline__table"])
        if code not in best or rank < best[code][0]:
            best[code] = (rank, row["baseline__area__name"], int(row["people"] or 0))
    frame = pd.DataFrame(
        [(code, best[code][1], best[code][2]) for code in area_codes if code in best],
        columns=["code", "name", "people"],
    ).set_index("code")
    frame.attrs["minimum_age"] = minimum_age
    return frame
