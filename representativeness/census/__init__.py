"""Census 2021 tables and the readers for the files councils download (no database access here).

- `tables`: the supported tables, their canonical category labels, groups and population bases
  (`ages`: reading and writing census age labels).
- `labels`: matching the labels in a file to the canonical ones (normalising, aliases).
- `formats` and one parser module per format (`nomis_bulk`, `ons_custom`, `nomis_api`, `long_format`).
- `validation`: which table, every category known and present, counts whole, sums adding up.
- `parse.census_file_parse`: all of that for one file.
"""

from representativeness.census.errors import CensusFileError, CensusIssue
from representativeness.census.labels import canonical_category
from representativeness.census.parse import CensusUpload, census_file_parse, census_files_parse
from representativeness.census.parsed import ParsedArea, ParsedCensusFile
from representativeness.census.tables import CENSUS_TABLES, TABLES_BY_CHARACTERISTIC, CensusTable, census_table

__all__ = [
    "CENSUS_TABLES",
    "TABLES_BY_CHARACTERISTIC",
    "CensusFileError",
    "CensusIssue",
    "CensusTable",
    "CensusUpload",
    "ParsedArea",
    "ParsedCensusFile",
    "canonical_category",
    "census_file_parse",
    "census_files_parse",
    "census_table",
]
