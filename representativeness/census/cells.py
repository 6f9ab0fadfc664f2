"""The common shape every format parser produces: one cell per area, category (and sex) with where it was."""

import re
from dataclasses import dataclass, field

from representativeness.census.choices import AreaLevel, SourceFormat


@dataclass(frozen=True)
class Place:
    """Where something is in the file, for messages."""

    row: int
    column: int
    column_name: str


@dataclass(frozen=True)
class Cell:
    area_code: str
    area_name: str
    label: str  # the category label as the file prints it
    sex_label: str | None  # the second dimension, where the file has one
    raw_count: str
    count_at: Place
    label_at: Place  # the header for bulk files, the row itself for long ones
    area_at: Place


@dataclass
class RawTable:
    """What a parser read, before the labels are matched to a table and the counts checked."""

    format: SourceFormat
    cells: list[Cell] = field(default_factory=list)
    dimension: str = ""  # the name of the category column or dimension, a hint to the table
    table_hint: str | None = None  # a table code named by the file (the bulk file name)


_GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")

# ONS GSS code prefixes (the entity code) and the level of geography they name.
_LEVEL_BY_PREFIX: dict[str, AreaLevel] = {
    "E00": AreaLevel.OUTPUT_AREA,
    "W00": AreaLevel.OUTPUT_AREA,
    "E01": AreaLevel.LSOA,
    "W01": AreaLevel.LSOA,
    "E02": AreaLevel.MSOA,
    "W02": AreaLevel.MSOA,
    "E05": AreaLevel.WARD,
    "W05": AreaLevel.WARD,
    "E06": AreaLevel.LOCAL_AUTHORITY,
    "E07": AreaLevel.LOCAL_AUTHORITY,
    "E08": AreaLevel.LOCAL_AUTHORITY,
    "E09": AreaLevel.LOCAL_AUTHORITY,
    "E10": AreaLevel.LOCAL_AUTHORITY,
    "W06": AreaLevel.LOCAL_AUTHORITY,
    "E12": AreaLevel.REGION,
    "E92": AreaLevel.COUNTRY,
    "W92": AreaLevel.COUNTRY,
    "K04": AreaLevel.COUNTRY,
}


def is_gss_code(code: str) -> bool:
    return bool(_GSS_CODE.match(code))


def level_from_code(code: str) -> AreaLevel:
    return _LEVEL_BY_PREFIX.get(code[:3], AreaLevel.OTHER)


def long_row_cell(
    row: list[str],
    row_number: int,
    header: list[str],
    *,
    code_index: int,
    name_index: int,
    category_index: int,
    value_index: int,
    sex_index: int | None = None,
) -> Cell:
    """The cell of one row of a long file (one count a row), remembering where each part came from."""
    code = row[code_index].strip()
    return Cell(
        area_code=code,
        area_name=row[name_index].strip() or code,
        label=row[category_index].strip(),
        sex_label=row[sex_index].strip() if sex_index is not None else None,
        raw_count=row[value_index],
        count_at=Place(row_number, value_index + 1, header[value_index]),
        label_at=Place(row_number, category_index + 1, header[category_index]),
        area_at=Place(row_number, code_index + 1, header[code_index]),
    )
