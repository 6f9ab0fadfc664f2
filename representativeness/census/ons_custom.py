"""ONS "create a custom dataset" CSV: long, a `<name> Code` and a `<name>` (or `<name> Label`) column for
the geography and for each dimension, and the count in `Observation` (or `Count`).

Capitalisation varies ("Lower tier local authorities Code", "Lower Tier Local Authorities Label").
Rows whose category code is -8 ("Does not apply") count people outside the table's population base
(they carry 0 in topic summaries) and are skipped.
"""

from dataclasses import dataclass

from representativeness.census.cells import Cell, Place, RawTable
from representativeness.census.choices import SourceFormat
from representativeness.census.errors import IssueCollector
from representativeness.census.formats import header_key
from representativeness.census.labels import is_does_not_apply
from representativeness.census.reading import CsvRows

# Words that mark the geography among the "... Code" columns.
_GEOGRAPHY_WORDS = (
    "authorit",
    "ward",
    "output area",
    "region",
    "countr",
    "geograph",
    "district",
    "constituenc",
    "parish",
    "area",
    "counties",
    "county",
)
_DOES_NOT_APPLY_CODE = "-8"


@dataclass(frozen=True)
class _Pair:
    base: str  # the column name without " Code"
    code_index: int
    label_index: int


def _pairs(header: list[str]) -> list[_Pair]:
    keys = [header_key(h) for h in header]
    pairs = []
    for index, key in enumerate(keys):
        if not key.endswith(" code"):
            continue
        base = key[: -len(" code")]
        for candidate in (base, f"{base} label", f"{base} name"):
            if candidate in keys:
                pairs.append(_Pair(header[index][: -len(" code")].strip(), index, keys.index(candidate)))
                break
    return pairs


def _is_geography(base: str) -> bool:
    key = base.lower()
    return any(word in key for word in _GEOGRAPHY_WORDS) and "categor" not in key


def parse_ons_custom(*, file_name: str, csv_rows: CsvRows, issues: IssueCollector) -> RawTable:
    header = csv_rows.header
    keys = [header_key(h) for h in header]
    value_index = keys.index("observation") if "observation" in keys else keys.index("count")
    pairs = _pairs(header)
    geography = next((p for p in pairs if _is_geography(p.base)), None)
    if geography is None:
        raise issues.fail(
            "missing geography column: expected a geography code column such as 'Lower tier local authorities Code'",
            row=1,
        )
    dimensions = [p for p in pairs if p is not geography]
    if not dimensions:
        raise issues.fail("no category column: expected a '<topic> Code' column and its label column", row=1)

    category, sex = dimensions[0], None
    if len(dimensions) > 1:
        sexes = [d for d in dimensions if header_key(d.base).startswith("sex")]
        if len(dimensions) != 2 or len(sexes) != 1:
            raise issues.fail(
                "unknown census table: the file crosses "
                + " with ".join(f"'{d.base}'" for d in dimensions)
                + "; import one topic summary table at a time (only age may be crossed with sex)",
                row=1,
            )
        sex = sexes[0]
        category = next(d for d in dimensions if d is not sex)

    raw = RawTable(format=SourceFormat.ONS_CUSTOM, dimension=category.base)
    for row_number, row in csv_rows.rows:
        if len(row) < len(header):
            issues.add(f"the row has {len(row)} columns but the header has {len(header)}", row=row_number)
            continue
        label = row[category.label_index].strip()
        if row[category.code_index].strip() == _DOES_NOT_APPLY_CODE or is_does_not_apply(label):
            continue
        sex_label = row[sex.label_index].strip() if sex else None
        if sex and (row[sex.code_index].strip() == _DOES_NOT_APPLY_CODE or is_does_not_apply(sex_label or "")):
            continue
        code = row[geography.code_index].strip()
        raw.cells.append(
            Cell(
                area_code=code,
                area_name=row[geography.label_index].strip() or code,
                label=label,
                sex_label=sex_label,
                raw_count=row[value_index],
                count_at=Place(row_number, value_index + 1, header[value_index]),
                label_at=Place(row_number, category.label_index + 1, header[category.label_index]),
                area_at=Place(row_number, geography.code_index + 1, header[geography.code_index]),
            )
        )
    return raw
