"""Holding an uploaded census file between its preview and the officer's confirmation.

The file is kept on disk under a random token (never in the session: files can be megabytes), and is
read and checked again on confirmation, so the same checks apply to what is actually imported.
"""

import contextlib
import re
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings

# Uploads not confirmed within a day are removed the next time anyone uploads.
PENDING_UPLOAD_MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _upload_dir() -> Path:
    default = Path(tempfile.gettempdir()) / "chorus-census-uploads"
    directory = Path(getattr(settings, "CENSUS_UPLOAD_DIR", default))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _path(token: str) -> Path:
    if not _TOKEN.match(token):
        raise ValueError("Not an upload token.")
    return _upload_dir() / f"{token}.csv"


def pending_upload_save(*, data: bytes) -> str:
    """Keep the bytes of an upload until it is confirmed; returns the token to find them by."""
    cutoff = time.time() - PENDING_UPLOAD_MAX_AGE_SECONDS
    for old in _upload_dir().glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    _path(token).write_bytes(data)
    return token


def pending_upload_read(*, token: str) -> bytes | None:
    try:
        return _path(token).read_bytes()
    except (OSError, ValueError):
        return None


def pending_upload_discard(*, token: str) -> None:
    with contextlib.suppress(ValueError):  # not a token we issued: nothing of ours to remove
        _path(token).unlink(missing_ok=True)
