"""From the cells a parser read to checked counts: which table, every category known and present,
every count a whole number, subtotals and totals adding up.

ONS perturbs each cell of each table a little (cell key perturbation), so a published subtotal or
total can differ from the sum of its parts by a few people. Differences up to `tolerance(parts)`
are accepted; larger ones mean a damaged or edited file.
"""

import re
from collections import defaultdict
from collections.abc import Iterable

from representativeness.census.cells import Cell, Place, RawTable, is_gss_code, level_from_code
from representativeness.census.choices import CountLevel, Sex
from representativeness.census.errors import IssueCollector
from representativeness.census.labels import Resolved, resolve_label, resolve_sex
from representativeness.census.parsed import ParsedArea
from representativeness.census.tables import CENSUS_TABLES, CensusTable

# Per cell, and at least, how far a published subtotal may sit from the sum of its parts.
PERTURBATION_PER_CELL = 5
PERTURBATION_MINIMUM = 10

_WHOLE = re.compile(r"^\d+(\.0*)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")


def tolerance(parts: int) -> int:
    return max(PERTURBATION_MINIMUM, PERTURBATION_PER_CELL * parts)


# The largest count a census table can hold here (the database column's limit); the population of
# England and Wales is about 60 million, so anything larger is a mistake in the file.
MAX_COUNT = 2**31 - 1


def _whole(raw: str) -> int | None:
    text = raw.strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _WHOLE.match(text):
        return None
    return int(text.split(".")[0])


def parse_count(raw: str) -> int | None:
    """A whole, non-negative count ("1234", "1,234", "1234.0") no larger than MAX_COUNT, or None."""
    count = _whole(raw)
    return count if count is not None and count <= MAX_COUNT else None


def _count_problem(raw: str) -> str:
    text = raw.strip()
    if not text:
        return "missing count: the cell is empty"
    if (_whole(text) or 0) > MAX_COUNT:
        return f"count {text!r} is larger than any census count (at most {MAX_COUNT:,})"
    if text.startswith("-") and parse_count(text[1:]) is not None:
        return f"count {text!r} is negative"
    return f"count {text!r} is not a whole number"


def _first_by_label(cells: Iterable[Cell]) -> dict[str, Cell]:
    first: dict[str, Cell] = {}
    for cell in cells:
        first.setdefault(cell.label, cell)
    return first


def choose_table(raw: RawTable, labels: Iterable[str], issues: IssueCollector) -> CensusTable:
    """The supported table these labels come from: the one that knows them all and has every category."""
    labels = list(labels)
    if raw.table_hint and raw.table_hint not in CENSUS_TABLES:
        raise issues.fail(
            f"unknown census table {raw.table_hint} (from the file name): Chorus imports {', '.join(CENSUS_TABLES)}"
        )
    dimension = raw.dimension.lower()

    def score(table: CensusTable) -> tuple[bool, bool, bool, int, int]:
        resolved = [resolve_label(table, label) for label in labels]
        known = [r for r in resolved if r is not None]
        detailed = {r.label for r in known if r.level == CountLevel.DETAILED}
        hinted = raw.table_hint == table.code or any(hint in dimension for hint in table.dimension_hints)
        informative = [r for r in known if r.level != CountLevel.TOTAL]
        return (
            len(known) == len(labels),
            detailed == set(table.categories),
            hinted,
            len(informative),
            -len(table.categories),
        )

    candidates = [CENSUS_TABLES[raw.table_hint]] if raw.table_hint else list(CENSUS_TABLES.values())
    best = max(candidates, key=score)
    if score(best)[3] == 0:
        shown = ", ".join(repr(label if len(label) <= 60 else label[:57] + "...") for label in labels[:3])
        raise issues.fail(
            f"unknown census table: the categories ({shown}, ...) in '{raw.dimension}' match none of the tables "
            f"Chorus imports ({', '.join(CENSUS_TABLES)})",
            row=1,
        )
    return best


def _resolve_labels(table: CensusTable, cells: list[Cell], issues: IssueCollector) -> dict[str, Resolved]:
    resolved: dict[str, Resolved] = {}
    for label, cell in _first_by_label(cells).items():
        meaning = resolve_label(table, label)
        if meaning is None:
            at = cell.label_at
            issues.add(
                f"unknown category {label!r} for {table.code} {table.title}",
                row=at.row,
                column=at.column,
                column_name=at.column_name,
            )
        else:
            resolved[label] = meaning
    return resolved


def _resolve_sexes(table: CensusTable, cells: list[Cell], issues: IssueCollector) -> dict[str | None, Sex]:
    sexes: dict[str | None, Sex] = {None: Sex.ALL}
    for cell in cells:
        if cell.sex_label in sexes:
            continue
        sex = resolve_sex(cell.sex_label or "")
        if sex is None:
            issues.add(
                f"unknown sex {cell.sex_label!r}: expected Female, Male or All persons",
                row=cell.label_at.row,
            )
        elif sex != Sex.ALL and not table.by_sex:
            raise issues.fail(
                f"unknown census table: {table.code} {table.title} is not published by sex "
                "(of the age tables only TS009 is)",
                row=cell.label_at.row,
            )
        else:
            sexes[cell.sex_label] = sex
    return sexes


class _AreaCells:
    def __init__(self, code: str, name: str, first: Place) -> None:
        self.code = code
        self.name = name
        self.first = first
        # sex -> level -> label -> (count, cell)
        self.counts: dict[Sex, dict[CountLevel, dict[str, tuple[int, Cell]]]] = defaultdict(lambda: defaultdict(dict))
        # (sex, category) whose count could not be read: already reported, so not reported again as missing
        self.unreadable: set[tuple[Sex, str]] = set()


def _collect(
    table: CensusTable,
    cells: list[Cell],
    labels: dict[str, Resolved],
    sexes: dict[str | None, Sex],
    issues: IssueCollector,
) -> dict[str, _AreaCells]:
    areas: dict[str, _AreaCells] = {}
    bad_codes: set[str] = set()
    for cell in cells:
        if cell.label not in labels or cell.sex_label not in sexes:
            continue
        if not is_gss_code(cell.area_code):
            if cell.area_code not in bad_codes:
                bad_codes.add(cell.area_code)
                what = "missing geography code" if not cell.area_code else f"{cell.area_code!r} is not an ONS area code"
                issues.add(what, row=cell.area_at.row, column=cell.area_at.column, column_name=cell.area_at.column_name)
            continue
        area = areas.setdefault(cell.area_code, _AreaCells(cell.area_code, cell.area_name, cell.area_at))
        meaning, sex = labels[cell.label], sexes[cell.sex_label]
        count = parse_count(cell.raw_count)
        if count is None:
            at = cell.count_at
            issues.add(_count_problem(cell.raw_count), row=at.row, column=at.column, column_name=at.column_name)
            area.unreadable.add((sex, meaning.label))
            continue
        level = area.counts[sex][meaning.level]
        if meaning.label in level:
            at = cell.count_at
            issues.add(
                f"a second count for {meaning.label or 'the total'!r} in {cell.area_code}",
                row=at.row,
                column=at.column,
                column_name=at.column_name,
            )
            continue
        level[meaning.label] = (count, cell)
    return areas


def _check_sum(issues: IssueCollector, what: str, published: tuple[int, Cell], parts: list[int], area: str) -> None:
    count, cell = published
    summed = sum(parts)
    if abs(count - summed) > tolerance(len(parts)):
        at = cell.count_at
        issues.add(
            f"{what} in {area} is {count:,} but its categories add up to {summed:,} "
            f"(more than the {tolerance(len(parts))} that ONS perturbation explains)",
            row=at.row,
            column=at.column,
            column_name=at.column_name,
        )


def _top_level_only(table: CensusTable, levels: dict[CountLevel, dict[str, tuple[int, Cell]]]) -> bool:
    """A grouped table published only at its top level: every broad group, and not one detailed category."""
    return (
        table.has_groups
        and not levels[CountLevel.DETAILED]
        and set(levels[CountLevel.BROAD]) == set(table.broad_categories)
    )


def _check_area(table: CensusTable, area: _AreaCells, issues: IssueCollector) -> ParsedArea | None:
    counts: dict[Sex, dict[str, int]] = {}
    totals: dict[Sex, int] = {}
    top_level: dict[Sex, dict[str, int]] = {}
    ok = True
    for sex, levels in area.counts.items():
        detailed = levels[CountLevel.DETAILED]
        if any(unreadable_sex == sex for unreadable_sex, _ in area.unreadable):
            ok = False  # a count of this area could not be read, so its sums cannot be checked
            continue
        if _top_level_only(table, levels):
            groups = {broad: levels[CountLevel.BROAD][broad][0] for broad in table.broad_categories}
            if "" in levels[CountLevel.TOTAL]:
                _check_sum(issues, "the total", levels[CountLevel.TOTAL][""], list(groups.values()), area.code)
                totals[sex] = levels[CountLevel.TOTAL][""][0]
            else:
                totals[sex] = sum(groups.values())
            top_level[sex], counts[sex] = groups, {}
            continue
        missing = [c for c in table.categories if c not in detailed]
        if missing:
            ok = False
            sex_text = f" ({sex.label})" if sex else ""
            issues.add(
                f"no count for {len(missing)} {table.code} categor{'y' if len(missing) == 1 else 'ies'} in "
                f"{area.code}{sex_text}: {', '.join(repr(m) for m in missing[:5])}",
                row=area.first.row,
            )
            continue
        ordered = {c: detailed[c][0] for c in table.categories}
        for broad, published in levels[CountLevel.BROAD].items():
            _check_sum(issues, f"subtotal {broad!r}", published, [ordered[c] for c in table.parts(broad)], area.code)
        if "" in levels[CountLevel.TOTAL]:
            _check_sum(issues, "the total", levels[CountLevel.TOTAL][""], list(ordered.values()), area.code)
            totals[sex] = levels[CountLevel.TOTAL][""][0]
        else:
            totals[sex] = sum(ordered.values())
        counts[sex] = ordered
    if not ok:
        return None
    if top_level:
        if len(top_level) != len(counts) or set(top_level) != {Sex.ALL}:
            issues.add(
                f"{area.code}: a table given only at its top level must be for all persons, and wholly so",
                row=area.first.row,
            )
            return None
        return ParsedArea(
            code=area.code,
            name=area.name,
            level=level_from_code(area.code),
            counts=counts,
            totals=totals,
            top_level=top_level,
        )
    if Sex.FEMALE in counts and Sex.MALE in counts:
        female, male = counts[Sex.FEMALE], counts[Sex.MALE]
        if Sex.ALL in counts:
            for category, count in counts[Sex.ALL].items():
                _, cell = area.counts[Sex.ALL][CountLevel.DETAILED][category]
                _check_sum(
                    issues, f"all persons {category!r}", (count, cell), [female[category], male[category]], area.code
                )
        else:
            counts[Sex.ALL] = {c: female[c] + male[c] for c in table.categories}
            totals[Sex.ALL] = totals[Sex.FEMALE] + totals[Sex.MALE]
    elif table.by_sex and Sex.ALL not in counts:
        issues.add(f"{area.code} has counts for one sex only", row=area.first.row)
        return None
    return ParsedArea(
        code=area.code,
        name=area.name,
        level=level_from_code(area.code),
        counts={sex: counts[sex] for sex in Sex if sex in counts},
        totals={sex: totals[sex] for sex in Sex if sex in totals},
    )


def check_cells(raw: RawTable, issues: IssueCollector) -> tuple[CensusTable, list[ParsedArea]]:
    """The table and checked areas; every problem is added to `issues` (the caller raises)."""
    if not raw.cells:
        raise issues.fail("the file has no data rows", row=2)
    table = choose_table(raw, _first_by_label(raw.cells), issues)
    labels = _resolve_labels(table, raw.cells, issues)
    sexes = _resolve_sexes(table, raw.cells, issues)
    areas = _collect(table, raw.cells, labels, sexes, issues)
    parsed = [p for area in areas.values() if (p := _check_area(table, area, issues)) is not None]
    return table, parsed
