"""Topic summaries (`area_code,area_name,table,category,count`): one row per area and category.

The shape of ../shared/census/england-wales/, shipped in data/census/england-wales/. `table` names the
census table; `category` is the bulk file's column label without "; measures: Value", that is
"<Topic>: <category>", and for TS009 "Sex: <sex>; Age: <age>". A TS009 file that gives every sex
only for "Age: Total" holds the sex totals over all ages: it is read as TS008 (sex), which ONS
publishes from the same census with a perturbation of a few people.
"""

from representativeness.census.cells import Cell, Place, RawTable
from representativeness.census.choices import SourceFormat
from representativeness.census.errors import IssueCollector
from representativeness.census.formats import header_key
from representativeness.census.reading import CsvRows

REQUIRED = ("area_code", "table", "category", "count")


def _after_topic(part: str) -> str:
    return part.split(":", 1)[1].strip() if ":" in part else part.strip()


def _split(label: str) -> tuple[str, str | None]:
    """(category, sex) from "Ethnic group: Irish" or "Sex: Female; Age: Aged 4 years"."""
    parts = [p.strip() for p in label.split(";")]
    if len(parts) == 2 and header_key(parts[0]).startswith("sex:"):
        return _after_topic(parts[1]), _after_topic(parts[0])
    return _after_topic(label), None


def parse_topic_summary(*, file_name: str, csv_rows: CsvRows, issues: IssueCollector) -> RawTable:
    header = csv_rows.header
    keys = [header_key(h) for h in header]
    absent = [name for name in REQUIRED if name not in keys]
    if absent:
        raise issues.fail(f"missing column(s) {', '.join(absent)}: a topic summary has {', '.join(REQUIRED)}", row=1)
    code_index, table_index = keys.index("area_code"), keys.index("table")
    category_index, value_index = keys.index("category"), keys.index("count")
    name_index = keys.index("area_name") if "area_name" in keys else code_index

    tables = {row[table_index].strip().upper() for _, row in csv_rows.rows if len(row) > table_index}
    if len(tables) != 1:
        shown = ", ".join(sorted(t or "(blank)" for t in tables)) or "none"
        raise issues.fail(f"a topic summary holds one census table; this file names {shown}", row=2)
    (table,) = tables
    raw = RawTable(format=SourceFormat.TOPIC_SUMMARY, table_hint=table)
    for row_number, row in csv_rows.rows:
        if len(row) < len(header):
            issues.add(f"the row has {len(row)} columns but the header has {len(header)}", row=row_number)
            continue
        label, sex = _split(row[category_index])
        raw.dimension = raw.dimension or row[category_index].split(":", 1)[0].strip()
        code = row[code_index].strip()
        raw.cells.append(
            Cell(
                area_code=code,
                area_name=row[name_index].strip() or code,
                label=label,
                sex_label=sex,
                raw_count=row[value_index],
                count_at=Place(row_number, value_index + 1, header[value_index]),
                label_at=Place(row_number, category_index + 1, header[category_index]),
                area_at=Place(row_number, code_index + 1, header[code_index]),
            )
        )
    if table == "TS009" and raw.cells and all(header_key(c.label) == "total" for c in raw.cells):
        # Sex totals over all ages: the sex table, with "All persons" as its total.
        raw.table_hint, raw.dimension = "TS008", "Sex"
        raw.cells = [Cell(**{**c.__dict__, "label": c.sex_label or "", "sex_label": None}) for c in raw.cells]
    return raw
