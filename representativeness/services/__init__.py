"""Writes for the representativeness app, one module per entity (baselines, pending uploads)."""

from representativeness.services.baselines import (
    SHIPPED_CENSUS_DIR,
    ImportedFile,
    area_create_composite,
    area_delete_composite,
    baseline_import,
    baselines_import,
    census_files_import,
    census_max_bytes,
    census_shipped_load,
    wards_elsewhere,
    wards_place,
)
from representativeness.services.uploads import pending_upload_discard, pending_upload_read, pending_upload_save

__all__ = [
    "SHIPPED_CENSUS_DIR",
    "ImportedFile",
    "area_create_composite",
    "area_delete_composite",
    "baseline_import",
    "baselines_import",
    "census_files_import",
    "census_max_bytes",
    "census_shipped_load",
    "pending_upload_discard",
    "pending_upload_read",
    "pending_upload_save",
    "wards_elsewhere",
    "wards_place",
]
