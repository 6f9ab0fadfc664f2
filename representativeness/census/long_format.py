"""The long files in ../shared/census (prepared by Trafford Data Lab from the Nomis API).

`area_code,area_name,geography,period,indicator,<category column>,measure,unit,value`. The sex and
5-year age files carry the category in `indicator`; the sex-by-age file has `age` and `sex` columns.
Only rows whose `measure` is "Count" are counts.
"""

from representativeness.census.cells import RawTable, long_row_cell
from representativeness.census.choices import SourceFormat
from representativeness.census.errors import IssueCollector
from representativeness.census.formats import header_key
from representativeness.census.reading import CsvRows

_KNOWN = frozenset({"area_code", "area_name", "geography", "period", "indicator", "measure", "unit", "value"})


def parse_long(*, file_name: str, csv_rows: CsvRows, issues: IssueCollector) -> RawTable:
    header = csv_rows.header
    keys = [header_key(h) for h in header]
    if "area_code" not in keys:
        raise issues.fail(
            "missing geography column: a long file needs a column headed 'area_code'", row=1, column_name="area_code"
        )
    code_index = keys.index("area_code")
    name_index = keys.index("area_name") if "area_name" in keys else code_index
    value_index = keys.index("value")
    measure_index = keys.index("measure") if "measure" in keys else None
    others = [i for i, key in enumerate(keys) if key not in _KNOWN and key]
    sex_index = next((i for i in others if keys[i] == "sex"), None)
    others = [i for i in others if i != sex_index]
    if len(others) > 1:
        raise issues.fail(
            "unknown census table: more than one category column (" + ", ".join(header[i] for i in others) + ")",
            row=1,
        )
    if others:
        category_index = others[0]
    elif "indicator" in keys:
        category_index = keys.index("indicator")
    else:
        raise issues.fail("no category column: expected 'indicator' or a named category column", row=1)

    raw = RawTable(format=SourceFormat.LONG, dimension=header[category_index])
    for row_number, row in csv_rows.rows:
        if len(row) < len(header):
            issues.add(f"the row has {len(row)} columns but the header has {len(header)}", row=row_number)
            continue
        if measure_index is not None and header_key(row[measure_index]) not in ("count", ""):
            continue  # percentages and rates, where a file has them beside the counts
        raw.cells.append(
            long_row_cell(
                row,
                row_number,
                header,
                code_index=code_index,
                name_index=name_index,
                category_index=category_index,
                value_index=value_index,
                sex_index=sex_index,
            )
        )
    if not raw.cells and csv_rows.rows:
        raise issues.fail("no rows whose measure is 'Count'", row=2)
    return raw
