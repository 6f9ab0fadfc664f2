"""Telling the four file formats apart from their header row alone."""

import re

from representativeness.census.choices import SourceFormat

EXPECTED_HEADERS = (
    "a Nomis bulk file starts 'date,geography,geography code'; an ONS custom dataset has '... Code' columns and "
    "'Observation'; a Nomis API file has 'GEOGRAPHY_CODE' and 'OBS_VALUE'; a long file has 'area_code' and 'value'; "
    "a topic summary has 'area_code,area_name,table,category,count'"
)


def header_key(name: str) -> str:
    """A header cell compared without case, surrounding quotes or repeated spaces."""
    return re.sub(r"\s+", " ", name.strip().strip('"').lstrip("\ufeff")).lower()


def detect_format(header: list[str]) -> SourceFormat | None:
    keys = [header_key(name) for name in header]
    names = set(keys)
    if "obs_value" in names:
        return SourceFormat.NOMIS_API
    if "date" in names and ("geography code" in names or "geography" in names or any(": " in k for k in keys)):
        return SourceFormat.NOMIS_BULK
    if {"area_code", "table", "category", "count"} <= names:
        return SourceFormat.TOPIC_SUMMARY
    if "value" in names and names & {"area_code", "area_name", "indicator"}:
        return SourceFormat.LONG
    if ("observation" in names or "count" in names) and any(k.endswith(" code") for k in keys):
        return SourceFormat.ONS_CUSTOM
    return None
