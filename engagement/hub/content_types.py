"""What a file is, read from its content (its first bytes, and for DOCX and ODT the zip inside), never
from its name or the type the browser claims. Pure: no Django."""

import io
import zipfile
from typing import BinaryIO

PDF, DOCX, ODT, PNG, JPEG = "pdf", "docx", "odt", "png", "jpeg"

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Read no more of a zip's members than this when looking inside (a zip bomb gives up here).
_MEMBER_READ_LIMIT = 1024


def content_kind(stream: BinaryIO) -> str | None:
    """The kind of document `stream` holds (one of the constants above), or None for anything else.
    Leaves the stream at its start."""
    stream.seek(0)
    head = stream.read(64)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(stream)
        return None
    finally:
        stream.seek(0)


def _zip_kind(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    if member.read(_MEMBER_READ_LIMIT).strip() == ODT_MIMETYPE:
                        return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                with archive.open("[Content_Types].xml") as member:
                    types = member.read(64 * _MEMBER_READ_LIMIT)
                if b"wordprocessingml.document.main+xml" in types:
                    return DOCX
            return None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return None


def content_kind_of_bytes(data: bytes) -> str | None:
    return content_kind(io.BytesIO(data))
