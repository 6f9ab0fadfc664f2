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
