"""Writes for the consultation hub: a consultation's listing, its documents and its events.
Each is recorded in the audit log as done by `actor`."""

import datetime as dt
from collections.abc import Iterable
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction

from audit.models import AuditAction
from audit.services import Actor, audit_record
from engagement.hub.content_types import content_kind
from engagement.models import Document, Event, Listing, Topic
from surveys.models import ResidenceArea, Survey

EXTENSIONS = {"pdf": "pdf", "docx": "docx", "odt": "odt", "png": "png", "jpeg": "jpg"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


class DocumentRefused(ValueError):
    """The file is not one residents can be given: its content is not an accepted kind, or it is too big."""


def document_size_limit() -> int:
    return int(settings.DOCUMENT_MAX_BYTES)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def document_check(*, stream: BinaryIO, size: int) -> str:
    """The kind of an uploaded file, read from its content; DocumentRefused with a message to act on."""
    if size == 0:
        raise DocumentRefused("The selected file is empty")
    if size > document_size_limit():
        raise DocumentRefused(f"The selected file must be smaller than {megabytes(document_size_limit())}")
    kind = content_kind(stream)
    if kind is None:
        raise DocumentRefused("The selected file must be a PDF, Word (DOCX), OpenDocument text (ODT), PNG or JPEG")
    return kind


@transaction.atomic
def document_upload(
    *, survey: Survey, title: str, description: str, stream: BinaryIO, size: int, actor: Actor
) -> Document:
    """Store a document for residents to read, named by what its content is (not what it was called)."""
    kind = document_check(stream=stream, size=size)
    position = (survey.documents.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    document = Document(survey=survey, title=title, description=description, kind=kind, size=size, position=position)
    _store_file(document, stream=stream, kind=kind)
    document.save()
    audit_record(
        actor=actor, action=AuditAction.DOCUMENT_UPLOADED, target=document, detail={"kind": kind, "size": size}
    )
    return document


class DocumentMoveRefused(ValueError):
    """The document is already first (or last)."""


def _store_file(document: Document, *, stream: BinaryIO, kind: str) -> None:
    """Save the content under a name made from the document's id and the kind read from it."""
    stream.seek(0)
    document.file.save(f"{document.id}.{EXTENSIONS[kind]}", File(stream), save=False)


@transaction.atomic
def document_update(
    *,
    document: Document,
    title: str,
    description: str,
    stream: BinaryIO | None = None,
    size: int = 0,
    actor: Actor,
) -> Document:
    """Change a document's title and description and, given `stream`, replace its file (checked by
    content, as an upload is; the old file is deleted once the change is saved). Recorded with what changed."""
    kind = document_check(stream=stream, size=size) if stream is not None else None
    changed = [
        name for name, value in (("title", title), ("description", description)) if getattr(document, name) != value
    ]
    document.title, document.description = title, description
    detail: dict[str, object] = {}
    if stream is not None and kind is not None:
        storage, old = document.file.storage, document.file.name or ""
        _store_file(document, stream=stream, kind=kind)
        document.kind, document.size = kind, size
        changed.append("file")
        detail = {"kind": kind, "size": size}
        if old and old != document.file.name:
            transaction.on_commit(lambda: storage.delete(old))
    if not changed:
        return document
    document.save()
    detail = {"changed": changed} | detail
    audit_record(actor=actor, action=AuditAction.DOCUMENT_CHANGED, target=document, detail=detail)
    return document


@transaction.atomic
def document_move(*, document: Document, up: bool, actor: Actor) -> Document:
    """Swap a document with the one before (up) or after it on the consultation's page."""
    order = list(
        Document.objects.select_for_update().filter(survey_id=document.survey_id).order_by("position", "uploaded_at")
    )
    index = next(i for i, d in enumerate(order) if d.pk == document.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        raise DocumentMoveRefused(f"“{document.title}” is already {'first' if up else 'last'}.")
    order[index], order[other] = order[other], order[index]
    for position, each in enumerate(order, start=1):
        if each.position != position:  # positions made 1..n, so any older ties are settled too
            Document.objects.filter(pk=each.pk).update(position=position)
    document.position = next(p for p, d in enumerate(order, start=1) if d.pk == document.pk)
    audit_record(
        actor=actor, action=AuditAction.DOCUMENT_CHANGED, target=document, detail={"moved": "up" if up else "down"}
    )
    return document


def document_delete(*, document: Document, actor: Actor) -> str:
    title = document.title
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DOCUMENT_DELETED, target=document)
        stored = document.file.name or ""
        storage = document.file.storage
        document.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
    return title


@transaction.atomic
def event_add(
    *,
    survey: Survey,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    accessibility: str,
    actor: Actor,
) -> Event:
    event = Event(
        survey=survey, title=title, starts_at=starts_at, ends_at=ends_at, place=place, accessibility=accessibility
    )
    event.full_clean()
    event.save()
    audit_record(actor=actor, action=AuditAction.EVENT_ADDED, target=event)
    return event


EVENT_FIELDS = ("title", "starts_at", "ends_at", "place", "accessibility")


@transaction.atomic
def event_update(
    *,
    event: Event,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    accessibility: str,
    actor: Actor,
) -> Event:
    """Change an event; recorded with the names of the fields that changed. Events are listed by date,
    so changing the date is how an event moves."""
    values = dict(title=title, starts_at=starts_at, ends_at=ends_at, place=place, accessibility=accessibility)
    changed = [name for name in EVENT_FIELDS if getattr(event, name) != values[name]]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, values[name])
    event.full_clean()
    event.save()
    audit_record(actor=actor, action=AuditAction.EVENT_CHANGED, target=event, detail={"changed": changed})
    return event


@transaction.atomic
def event_delete(*, event: Event, actor: Actor) -> str:
    title = str(event)
    audit_record(actor=actor, action=AuditAction.EVENT_DELETED, target=event)
    event.delete()
    return title


@transaction.atomic
def listing_save(
    *,
    survey: Survey,
    topic: Topic | None,
    areas: Iterable[ResidenceArea],
    return_address: str,
    contact_phone: str,
    actor: Actor,
) -> Listing:
    listing, _ = Listing.objects.get_or_create(survey=survey)
    listing.topic = topic
    listing.return_address = return_address
    listing.contact_phone = contact_phone
    listing.save()
    listing.areas.set(list(areas))
    audit_record(actor=actor, action=AuditAction.LISTING_CHANGED, target=survey)
    return listing
