"""Where export files are kept (EXPORTS_DIR), out of the web root, and for how long (EXPORT_KEEP_HOURS)."""

from pathlib import Path

from django.conf import settings


def exports_dir() -> Path:
    directory = Path(settings.EXPORTS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def export_path(export_id: object, file_format: str) -> Path:
    return exports_dir() / f"{export_id}.{file_format}"
