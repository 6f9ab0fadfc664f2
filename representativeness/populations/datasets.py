"""A service's equality data, read into counts per census category. Pure functions: no Django, no database.

Two layouts are read, from CSV or XLSX:

- one row per person, with characteristic columns (age or date of birth, sex or gender, ethnicity,
  disability, religion; other columns are left out and listed);
- counts per category: columns `characteristic`, `category` and `count`.

Labels may be census labels, the standard question options, or the NHS Data Dictionary's ethnic
categories, with or without their letter codes (representativeness.populations.vocabulary). A label
that stands for several census categories merges them, and any label overlapping a merged group joins
it, so the comparison is made at the file's own level of detail and nobody is compared as if missing.
Anything that cannot be read is refused with every problem named by row, column and label, and nothing
is returned: the caller stores nothing.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from representativeness.age_bands import AgeBand, band_label
from representativeness.census.tables import CENSUS_TABLES
from representativeness.populations.vocabulary import (
    COLUMN_NAMES,
    PREFER_NOT_TO_SAY,
    SKIPPED,
    TABLES,
    label_categories,
    normalise,
)

MAX_ISSUES_SHOWN = 10
OLDEST = 120
COUNT_COLUMNS = ("characteristic", "category", "count")
# The largest count one row may give: more people than live in the UK (about 67 million) is a mistake, and
# a bound keeps every sum far inside 64-bit integers (the report's and the database's).
MAX_COUNT = 100_000_000
# The most an XLSX may unpack to. A workbook is a zip: one of a few hundred kilobytes can unpack to a sheet of
# a million rows, which takes minutes to read (the web server gives up on the upload first). Twice the
# largest upload reads in seconds, and holds more rows than a CSV of that size.
MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024
AGE_FORMS_TEXT = "an age in whole years (16) or a band such as 16 to 24, 16-24, 65 and over, 65+ or under 16"


@dataclass(frozen=True)
class DatasetIssue:
    row: int | None
    column: str | None
    label: str | None
    message: str
    row_name: str = "Row"  # "Line" for counts typed in, numbered from 1

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"{self.row_name} {self.row}" if self.row else "",
                f"column “{self.column}”" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class DatasetError(ValueError):
    """The file cannot be read; `issues` says every reason found."""

    def __init__(self, issues: Sequence[DatasetIssue]) -> None:
        self.issues = list(issues)
        shown = "; ".join(str(i) for i in self.issues[:MAX_ISSUES_SHOWN])
        more = len(self.issues) - MAX_ISSUES_SHOWN
        super().__init__(shown + (f"; and {more} more problems" if more > 0 else ""))


@dataclass
class CharacteristicCounts:
    """One characteristic's people per census category (merged groups named by their parts joined)."""

    by_category: dict[str, int]
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)  # merged label -> census categories
    prefer_not_to_say: int = 0
    skipped: int = 0

    @property
    def answered(self) -> int:
        return sum(self.by_category.values())


@dataclass
class DatasetCounts:
    people: int
    characteristics: dict[str, CharacteristicCounts]
    ages: dict[int, int]  # single year of age -> people
    age_unknown: int
    columns_read: list[str]
    columns_ignored: list[str]
    # Age band (inclusive; None above: "and over") -> people, where the service gives ages in bands
    # ("16 to 24", "65+"); compared in the report's bands, merged where they do not line up.
    age_bands: dict[AgeBand, int] = field(default_factory=dict)

    def given_ages(self) -> dict[AgeBand, int]:
        """Every age given, single years as one-year bands."""
        return {(age, age): n for age, n in self.ages.items()} | self.age_bands

    def youngest(self) -> int | None:
        return min((low for low, _ in self.given_ages()), default=None)

    def oldest(self) -> int | None:
        """The oldest age anyone can be, None when a band is open ("65 and over") or no age is known."""
        highs = [high for _, high in self.given_ages()]
        return None if not highs or None in highs else max(h for h in highs if h is not None)


# Reading the file -------------------------------------------------------------------------------


def table_rows(*, file_name: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows (numbered as a spreadsheet shows them) of a CSV or XLSX file."""
    if not data.strip():
        raise DatasetError([DatasetIssue(None, None, None, "The file is empty")])
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if file_name.lower().endswith((".xls", ".xlsx", ".pdf")) or data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise DatasetError([DatasetIssue(None, None, None, "The file must be a CSV or an XLSX workbook")])
    not_text = DatasetError(
        [DatasetIssue(None, None, None, "The file is not a CSV text file: save it as CSV (comma separated) or XLSX")]
    )
    if b"\x00" in data[:65536]:  # images, archives, UTF-16 exports: no CSV has NUL bytes
        raise not_text
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise not_text from None
    return _header_and_rows(lines)


TYPED_HEADER = ["Characteristic", "Category", "Count"]
_TRAILING_COUNT = re.compile(r",\s*(\d{1,3}(?:,\d{3})+|[^,]*)\s*$")


def typed_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Counts typed one a line, "characteristic, category, count", as a counts file's header and rows
    numbered from line 1. A census label may hold commas ("ethnic group, Asian, Asian British or Asian
    Welsh, 6"): the characteristic ends at the first comma and the count starts after the last (a count
    written 1,080 stays whole), or a line may be quoted as CSV. Problems name the line ("Line 3")."""
    rows: list[tuple[int, list[str]]] = []
    issues: list[DatasetIssue] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = _typed_cells(line)
        if cells is None:
            issues.append(
                DatasetIssue(
                    number,
                    None,
                    line,
                    f"“{line.strip()}” must be characteristic, category, count, like sex, Female, 12",
                    row_name="Line",
                )
            )
        else:
            rows.append((number, cells))
    if issues:
        raise DatasetError(issues)
    if not rows:
        raise DatasetError([DatasetIssue(None, None, None, "Type at least one line of counts")])
    return list(TYPED_HEADER), rows


def _typed_cells(line: str) -> list[str] | None:
    if '"' in line:
        try:
            quoted = next(csv.reader([line], skipinitialspace=True))
        except csv.Error:
            quoted = []
        if len(quoted) == 3:
            return [cell.strip() for cell in quoted]
    characteristic, comma, rest = line.partition(",")
    if not comma:
        return None
    found = _TRAILING_COUNT.search(rest)
    if found is None or not rest[: found.start()].strip():  # "age,16,300": 300 is the count, 16 the category
        category, comma, count = rest.rpartition(",")
        if not comma:
            return None
    else:
        category, count = rest[: found.start()], found[1]
    return [characteristic.strip(), category.strip(), count.strip()]


def typed_issues(error: DatasetError) -> DatasetError:
    """The problems of typed counts, named by line ("Line 1"), not by a file's row."""
    return DatasetError([replace(issue, row_name="Line") for issue in error.issues])


def _xlsx_unpacked_bytes(data: bytes) -> int:
    """What a workbook's parts unpack to, as its zip says (Python's zip reader never unpacks more than
    that); 0 for a zip that cannot be read, which the workbook reader then refuses."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return 0


def _xlsx_rows(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl  # only when an XLSX arrives

    unpacked = _xlsx_unpacked_bytes(data)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        megabytes = MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)
        raise DatasetError(
            [
                DatasetIssue(
                    None,
                    None,
                    None,
                    f"The workbook holds too much to read: it unpacks to {unpacked / (1024 * 1024):.0f} MB, more "
                    f"than {megabytes} MB. Save its first sheet as CSV and upload that, or give counts per category",
                )
            ]
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a zip that is not a workbook, or a damaged one
        raise DatasetError([DatasetIssue(None, None, None, "The file is not a readable XLSX workbook")]) from None
    sheet = workbook.worksheets[0]
    lines = [
        ["" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else str(v)) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return _header_and_rows(lines)


def _header_and_rows(lines: list[list[str]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise DatasetError([DatasetIssue(1, None, None, "The first row must name the columns")])
    header = [cell.strip() for cell in lines[0]]
    rows = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)]
    return header, rows


# Counting ---------------------------------------------------------------------------------------


def dataset_counts(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    *,
    on: dt.date,
    mappings: Mapping[tuple[str, str], str] | None = None,
) -> DatasetCounts:
    """Counts per census category from the rows of a file; raises DatasetError naming every problem.

    `on`: the date ages are worked out at from dates of birth. `mappings`: (column, label) -> a census
    category, for labels the service uses that are not known here (as the officer says they should be read).
    """
    mappings = {(normalise(c), normalise(label)): category for (c, label), category in (mappings or {}).items()}
    names = [normalise(h) for h in header]
    if all(column in names for column in COUNT_COLUMNS):
        return _from_counts(header, names, rows, mappings)
    return _from_people(header, names, rows, on, mappings)


def _categories(characteristic: str, column: str, label: str, mappings: Mapping[tuple[str, str], str]):
    mapped = mappings.get((normalise(column), normalise(label)))
    if mapped is not None:
        return label_categories(characteristic, mapped)
    return label_categories(characteristic, label)


def _unknown(row: int, column: str, label: str, characteristic: str) -> DatasetIssue:
    return DatasetIssue(
        row,
        column,
        label,
        f"“{label}” is not a category of {characteristic.replace('_', ' ')} this service knows: map it to a census "
        "category, or correct the file",
    )


# Characteristics a service may hold that a group's counts are not compared with the census on.
NOT_COMPARED = {
    "gender identity": "gender identity",
    "trans": "gender identity",
    "trans status": "gender identity",
    "sexual orientation": "sexual orientation",
    "sexuality": "sexual orientation",
    "unpaid care": "unpaid care",
    "carer": "unpaid care",
    "carers": "unpaid care",
    "caring responsibilities": "unpaid care",
    "ward": "ward",
    "area": "ward",
    "postcode": "ward",
    "main language": "main language",
    "language": "main language",
    "marital status": "marriage and civil partnership",
    "marriage and civil partnership": "marriage and civil partnership",
    "pregnancy": "pregnancy and maternity",
    "pregnancy and maternity": "pregnancy and maternity",
}
COMPARED_TEXT = f"age ({AGE_FORMS_TEXT}), sex, ethnic group, disability and religion"


def _not_compared(name: str) -> str:
    known = NOT_COMPARED.get(normalise(name))
    if known is not None:
        return (
            f"“{name}”: a group's counts cannot be compared with the census on {known}; the characteristics "
            f"they can be compared on are {COMPARED_TEXT}. Leave these lines out"
        )
    return f"“{name}” is not a characteristic: the characteristics counts can be compared on are {COMPARED_TEXT}"


def _from_people(header, names, rows, on, mappings) -> DatasetCounts:
    columns = {i: COLUMN_NAMES[name] for i, name in enumerate(names) if name in COLUMN_NAMES}
    if not columns:
        expected = "age or date of birth, sex or gender, ethnicity, disability, religion"
        raise DatasetError(
            [
                DatasetIssue(
                    1,
                    None,
                    None,
                    f"No column of equality data: name one of {expected}; or give "
                    "columns characteristic, category and count",
                )
            ]
        )
    if not rows:
        raise DatasetError([DatasetIssue(None, None, None, "The file has no rows of data below its header")])
    issues: list[DatasetIssue] = []
    raw: dict[str, dict[tuple[str, ...], int]] = {}
    not_answers: dict[str, dict[str, int]] = {}
    ages = _Ages()
    age_unknown = 0
    age_columns = [i for i, c in columns.items() if c in ("age", "date_of_birth")]
    for number, cells in rows:
        if age_columns:
            age, issue = _age_of(
                header[age_columns[0]],
                cells[age_columns[0]] if age_columns[0] < len(cells) else "",
                columns[age_columns[0]],
                number,
                on,
            )
            if issue:
                issues.append(issue)
            elif age is None:
                age_unknown += 1
            else:
                ages.add(age, 1, number)
        for index, characteristic in columns.items():
            if characteristic in ("age", "date_of_birth"):
                continue
            label = cells[index].strip() if index < len(cells) else ""
            found = _categories(characteristic, header[index], label, mappings)
            if found is None:
                issues.append(_unknown(number, header[index], label, characteristic))
            elif isinstance(found, str):
                bucket = not_answers.setdefault(characteristic, {})
                bucket[found] = bucket.get(found, 0) + 1
            else:
                counts = raw.setdefault(characteristic, {})
                counts[found] = counts.get(found, 0) + 1
    issues += ages.overlaps(header[age_columns[0]] if age_columns else None)
    if issues:
        raise DatasetError(issues)
    characteristics = {
        c: _merged(c, raw.get(c, {}), not_answers.get(c, {})) for c in dict.fromkeys(columns.values()) if c in TABLES
    }
    return DatasetCounts(
        people=len(rows),
        characteristics=characteristics,
        ages=ages.single_years(),
        age_bands=ages.bands(),
        age_unknown=age_unknown if age_columns else len(rows),
        columns_read=[header[i] for i in columns],
        columns_ignored=[h for i, h in enumerate(header) if i not in columns and h],
    )


_YEARS = r"(?:\s*(?:years?|yrs)(?:\s+old)?)?"
_AGE_FORMS = (  # (pattern, how its numbers make a band), on the lower-cased label
    (re.compile(rf"(?:aged\s+)?(\d{{1,3}}){_YEARS}"), lambda a: (a[0], a[0])),
    (re.compile(rf"(?:aged\s+)?(\d{{1,3}})\s*(?:-|–|—|to)\s*(\d{{1,3}}){_YEARS}"), lambda a: (a[0], a[1])),
    (
        re.compile(rf"(?:aged\s+)?(\d{{1,3}})(?:\s*\+|{_YEARS}\s*(?:plus|(?:and|or)\s+(?:over|above|older)))"),
        lambda a: (a[0], None),
    ),
    (re.compile(rf"(?:aged\s+)?(?:under|below|less\s+than)\s+(\d{{1,3}})s?{_YEARS}"), lambda a: (0, a[0] - 1)),
)


def age_band_of(label: str) -> AgeBand | str:
    """The ages a label stands for ("16-24", "16 to 24", "65+", "65 and over", "under 16", "16"), single
    years as (16, 16); or why it is not an age."""
    text = re.sub(r"\s+", " ", label.strip().lower())
    for pattern, band_of in _AGE_FORMS:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        numbers = [int(n) for n in found.groups()]
        low, high = band_of(numbers)
        if any(n > OLDEST for n in numbers):
            return f"“{label}” is not an age band: ages go from 0 to {OLDEST}"
        if high is not None and high < low:
            return f"“{label}” is not an age band: {'nobody is under 0' if high < 0 else 'it ends before it starts'}"
        return (low, high)
    return f"“{label}” is not an age or an age band: give {AGE_FORMS_TEXT}, from 0 to {OLDEST}"


class _Ages:
    """People per age band given, with the row that first gave each band (to name in a problem)."""

    def __init__(self) -> None:
        self.counts: dict[AgeBand, int] = {}
        self.first_row: dict[AgeBand, int] = {}

    def add(self, band: AgeBand, count: int, row: int) -> None:
        self.counts[band] = self.counts.get(band, 0) + count
        self.first_row.setdefault(band, row)

    def single_years(self) -> dict[int, int]:
        return {low: n for (low, high), n in self.counts.items() if low == high}

    def bands(self) -> dict[AgeBand, int]:
        return {(low, high): n for (low, high), n in self.counts.items() if low != high}

    def total(self) -> int:
        return sum(self.counts.values())

    def overlaps(self, column: str | None) -> list[DatasetIssue]:
        """A band sharing ages with another: the same people could be counted in both, so neither can be
        placed (named on the later row)."""
        issues = []
        ordered = sorted(self.counts, key=lambda b: (b[0], -1 if b[1] is None else b[1]))
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier[1] is None or later[0] <= earlier[1]:
                first, second = sorted((earlier, later), key=self.first_row.__getitem__)
                issues.append(
                    DatasetIssue(
                        self.first_row[second],
                        column,
                        band_label(second),
                        f"The ages {_ages_text(second)} overlap the ages {_ages_text(first)} given above: give "
                        "each person's age once, in bands that do not share ages",
                    )
                )
        return issues


def _ages_text(band: AgeBand) -> str:
    low, high = band
    return str(low) if low == high else band_label(band)


def _age_of(column: str, value: str, kind: str, row: int, on: dt.date) -> tuple[AgeBand | None, DatasetIssue | None]:
    value = value.strip()
    if normalise(value) in ("", "not known", "unknown", "not stated", "prefer not to say"):
        return None, None
    if kind == "age":
        band = age_band_of(value)
        if isinstance(band, str):
            return None, DatasetIssue(row, column, value, band)
        return band, None
    born = _date(value)
    if born is None:
        return None, DatasetIssue(row, column, value, f"“{value}” is not a date of birth like 1984-03-27 or 27/03/1984")
    if born > on:
        return None, DatasetIssue(row, column, value, f"“{value}” is after {on:%d %B %Y}")
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age > OLDEST:
        return None, DatasetIssue(row, column, value, f"“{value}” would make someone older than {OLDEST}")
    return (age, age), None


def _date(value: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
    return None


def _from_counts(header, names, rows, mappings) -> DatasetCounts:
    where = {column: names.index(column) for column in COUNT_COLUMNS}
    issues: list[DatasetIssue] = []
    raw: dict[str, dict[tuple[str, ...], int]] = {}
    not_answers: dict[str, dict[str, int]] = {}
    ages = _Ages()
    age_unknown = 0
    has_age = False

    def cell(cells: list[str], column: str) -> str:
        index = where[column]
        return cells[index].strip() if index < len(cells) else ""

    for number, cells in rows:
        name, label, count_text = cell(cells, "characteristic"), cell(cells, "category"), cell(cells, "count")
        characteristic = COLUMN_NAMES.get(normalise(name))
        if characteristic is None:
            issues.append(DatasetIssue(number, header[where["characteristic"]], name, _not_compared(name)))
            continue
        if not re.fullmatch(r"\d+", count_text.replace(",", "")):
            message = "is negative" if re.fullmatch(r"-\d+", count_text) else "is not a whole number"
            issues.append(
                DatasetIssue(number, header[where["count"]], count_text, f"The count “{count_text}” {message}")
            )
            continue
        digits = count_text.replace(",", "").lstrip("0") or "0"
        count = int(digits) if len(digits) <= len(str(MAX_COUNT)) else MAX_COUNT + 1  # int() refuses 4,300+ digits
        if count > MAX_COUNT:
            issues.append(
                DatasetIssue(
                    number,
                    header[where["count"]],
                    count_text,
                    f"The count “{count_text}” is too large: a count can be at most {MAX_COUNT:,}",
                )
            )
            continue
        if characteristic in ("age", "date_of_birth"):
            has_age = True
            age, issue = _age_of(header[where["category"]], label, "age", number, dt.date.today())
            if issue:
                issues.append(issue)
            elif age is None:
                age_unknown += count
            else:
                ages.add(age, count, number)
            continue
        found = _categories(characteristic, name, label, mappings)
        if found is None:
            issues.append(_unknown(number, header[where["category"]], label, characteristic))
        elif isinstance(found, str):
            bucket = not_answers.setdefault(characteristic, {})
            bucket[found] = bucket.get(found, 0) + count
        else:
            counts = raw.setdefault(characteristic, {})
            counts[found] = counts.get(found, 0) + count
    issues += ages.overlaps(header[where["category"]])
    if issues:
        raise DatasetError(issues)
    if not rows:
        raise DatasetError([DatasetIssue(None, None, None, "The file has no counts")])
    characteristics = {
        c: _merged(c, raw.get(c, {}), not_answers.get(c, {})) for c in TABLES if c in raw or c in not_answers
    }
    totals = [c.answered + c.prefer_not_to_say + c.skipped for c in characteristics.values()]
    if has_age:
        totals.append(ages.total() + age_unknown)
    people = max(totals, default=0)
    return DatasetCounts(
        people=people,
        characteristics=characteristics,
        ages=ages.single_years(),
        age_bands=ages.bands(),
        age_unknown=age_unknown + (people - ages.total() - age_unknown if has_age else people),
        columns_read=list(COUNT_COLUMNS),
        columns_ignored=[h for i, h in enumerate(header) if i not in where.values() and h],
    )


def _narrowed(sets: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A wide set less the categories another label names on its own (the file then has them apart)."""
    singles = {s[0] for s in sets if len(s) == 1}
    return [tuple(c for c in s if c not in singles) or s if len(s) > 1 else s for s in sets]


def merge_groups(sets: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The census categories that must be compared together: the sets the labels stand for, narrowed,
    and overlapping sets joined. Each category is in one group at most."""
    groups: list[list[str]] = []
    for categories in _narrowed(sets):
        touching = [g for g in groups if set(g) & set(categories)]
        joined = [c for g in touching for c in g]
        joined += [c for c in categories if c not in joined]
        groups = [g for g in groups if g not in touching] + [joined]
    return [tuple(g) for g in groups]


def merged_label(categories: tuple[str, ...]) -> str:
    return categories[0] if len(categories) == 1 else " / ".join(categories)


def _merged(characteristic: str, raw: dict[tuple[str, ...], int], not_answers: dict[str, int]) -> CharacteristicCounts:
    order = {c: i for i, c in enumerate(CENSUS_TABLES[TABLES[characteristic]].categories)}
    sets = list(raw)
    groups = [tuple(sorted(g, key=order.__getitem__)) for g in merge_groups(sets)]
    group_of = {c: g for g in groups for c in g}
    by_category: dict[str, int] = {}
    for categories, narrowed in zip(sets, _narrowed(sets), strict=True):
        label = merged_label(group_of[narrowed[0]])
        by_category[label] = by_category.get(label, 0) + raw[categories]
    return CharacteristicCounts(
        by_category=by_category,
        merged={merged_label(g): g for g in groups if len(g) > 1},
        prefer_not_to_say=not_answers.get(PREFER_NOT_TO_SAY, 0),
        skipped=not_answers.get(SKIPPED, 0),
    )


# Storing ----------------------------------------------------------------------------------------


def counts_as_json(counts: DatasetCounts) -> dict:
    """The aggregated counts as JSON (what is stored: the headings of the columns not used, never their values)."""
    return {
        "people": counts.people,
        "characteristics": {
            key: {
                "by_category": c.by_category,
                "merged": {label: list(parts) for label, parts in c.merged.items()},
                "prefer_not_to_say": c.prefer_not_to_say,
                "skipped": c.skipped,
            }
            for key, c in counts.characteristics.items()
        },
        "ages": {str(age): n for age, n in counts.ages.items()},
        "age_bands": {band_label(band): n for band, n in counts.age_bands.items()},
        "age_unknown": counts.age_unknown,
        "columns_read": counts.columns_read,
        "columns_not_used": counts.columns_ignored,  # the headings only, so the page can say; never their values
    }


def counts_from_json(data: dict) -> DatasetCounts:
    return DatasetCounts(
        people=data["people"],
        characteristics={
            key: CharacteristicCounts(
                by_category=dict(c["by_category"]),
                merged={label: tuple(parts) for label, parts in c["merged"].items()},
                prefer_not_to_say=c["prefer_not_to_say"],
                skipped=c["skipped"],
            )
            for key, c in data["characteristics"].items()
        },
        ages={int(age): n for age, n in data["ages"].items()},
        age_unknown=data["age_unknown"],
        columns_read=list(data["columns_read"]),
        columns_ignored=list(data.get("columns_not_used", [])),
        age_bands={_stored_band(label): n for label, n in data.get("age_bands", {}).items()},
    )


def _stored_band(label: str) -> AgeBand:
    band = age_band_of(label)
    assert not isinstance(band, str), band  # stored by counts_as_json from a band read
    return band


def mappings_from_text(text: str) -> dict[tuple[str, str], str]:
    """ "Column = label = census category", one a line, as the upload form and the command take them."""
    mappings: dict[tuple[str, str], str] = {}
    issues = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("=")]
        if len(parts) != 3 or not all(parts):
            issues.append(
                DatasetIssue(
                    None, None, line, f"Line {number} of the mappings must be column = label = census category"
                )
            )
            continue
        mappings[(parts[0], parts[1])] = parts[2]
    if issues:
        raise DatasetError(issues)
    return mappings
