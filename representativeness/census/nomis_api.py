"""Nomis API CSV (`.../dataset/NM_2041_1.data.csv`): long, upper-case columns.

`GEOGRAPHY_CODE`, `GEOGRAPHY_NAME`, one `<DIMENSION>_NAME` per dimension (`C2021_ETH_20_NAME`),
`MEASURES_NAME` ("Value" or "Percent") and `OBS_VALUE`. Only "Value" rows are counts.
"""

from representativeness.census.cells import RawTable, long_row_cell
from representativeness.census.choices import SourceFormat
from representativeness.census.errors import IssueCollector
from representativeness.census.formats import header_key
from representativeness.census.reading import CsvRows

# `_NAME` columns that are not dimensions of the table.
_NOT_DIMENSIONS = frozenset({"date", "geography", "measures", "obs_status", "obs_conf", "freq", "time", "unit"})


def parse_nomis_api(*, file_name: str, csv_rows: CsvRows, issues: IssueCollector) -> RawTable:
    header = csv_rows.header
    keys = [header_key(h) for h in header]
    if "geography_code" not in keys:
        raise issues.fail(
            "missing geography column: a Nomis API file needs 'GEOGRAPHY_CODE' (add it to the select= list)",
            row=1,
            column_name="GEOGRAPHY_CODE",
        )
    code_index = keys.index("geography_code")
    name_index = keys.index("geography_name") if "geography_name" in keys else code_index
    value_index = keys.index("obs_value")
    measures_index = keys.index("measures_name") if "measures_name" in keys else None
    dimensions = [
        index for index, key in enumerate(keys) if key.endswith("_name") and key[: -len("_name")] not in _NOT_DIMENSIONS
    ]
    if not dimensions:
        raise issues.fail("no category column: expected a '<DIMENSION>_NAME' column such as 'C2021_ETH_20_NAME'", row=1)
    category_index, sex_index = dimensions[0], None
    if len(dimensions) > 1:
        sexes = [i for i in dimensions if keys[i].startswith("c_sex")]
        if len(dimensions) != 2 or len(sexes) != 1:
            raise issues.fail(
                "unknown census table: the file crosses "
                + " with ".join(header[i] for i in dimensions)
                + "; import one topic summary table at a time (only age may be crossed with sex)",
                row=1,
            )
        sex_index = sexes[0]
        category_index = next(i for i in dimensions if i != sex_index)

    raw = RawTable(format=SourceFormat.NOMIS_API, dimension=header[category_index][: -len("_NAME")])
    for row_number, row in csv_rows.rows:
        if len(row) < len(header):
            issues.add(f"the row has {len(row)} columns but the header has {len(header)}", row=row_number)
            continue
        if measures_index is not None and header_key(row[measures_index]) != "value":
            continue
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
        raise issues.fail("no rows with MEASURES_NAME 'Value': the file holds percentages only", row=2)
    return raw
