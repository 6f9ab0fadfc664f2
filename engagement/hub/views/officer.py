"""Officers manage what the hub shows about a consultation: its listing, documents and events."""

from collections.abc import Callable
from functools import partial

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from engagement.builder.views.common import moving_up
from engagement.hub import selectors, services
from engagement.hub.forms import DocumentChangeForm, DocumentForm, EventForm, ListingForm
from engagement.models import Document, Event
from surveys.models import Survey
from surveys.targets import SURVEY

TEMPLATES = "engagement/hub"


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["GET", "POST"])
def listing_edit(request: HttpRequest, survey: Survey) -> HttpResponse:
    listing = selectors.listing_get(survey=survey)
    initial = (
        {
            "topic": listing.topic_id,
            "areas": list(listing.areas.all()),
            "return_address": listing.return_address,
            "contact_phone": listing.contact_phone,
        }
        if listing
        else {}
    )
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.listing_save(survey=survey, actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, "The hub listing has been saved.")
        return redirect("engagement:survey", survey_id=survey.pk)
    return render(request, f"{TEMPLATES}/listing_form.html", {"survey": survey, "form": form})


def _document_saved(request: HttpRequest, form: forms.Form, save: Callable[..., Document]) -> Document | None:
    """Adds or changes a document (`save`, a service) from the form's title, description and file (none
    when a change keeps the file); a file the service refuses is the form's error on its file, and None."""
    upload = form.cleaned_data["file"]
    try:
        return save(
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            stream=upload or None,
            size=upload.size if upload else 0,
            actor=Actor.from_request(request),
        )
    except services.DocumentRefused as refusal:
        form.add_error("file", str(refusal))
        return None


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["GET", "POST"])
def documents(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = _document_saved(request, form, partial(services.document_upload, survey=survey))
        if document is not None:
            messages.success(request, f"“{document.title}” has been added to the consultation's page.")
            return redirect("engagement:documents", survey_id=survey.pk)
    return render(
        request,
        f"{TEMPLATES}/documents.html",
        {
            "survey": survey,
            "form": form,
            "documents": selectors.consultation_documents(survey=survey),
            "size_limit": services.megabytes(services.document_size_limit()),
        },
    )


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["GET", "POST"])
def document_edit(request: HttpRequest, survey: Survey, document_id: str) -> HttpResponse:
    document = get_object_or_404(Document, pk=document_id, survey=survey)
    form = DocumentChangeForm(
        request.POST or None,
        request.FILES or None,
        initial={"title": document.title, "description": document.description},
    )
    saving = request.method == "POST" and form.is_valid()
    if saving and _document_saved(request, form, partial(services.document_update, document=document)) is not None:
        messages.success(request, f"“{document.title}” has been saved.")
        return redirect("engagement:documents", survey_id=survey.pk)
    return render(
        request,
        f"{TEMPLATES}/document_form.html",
        {"survey": survey, "form": form, "document": document, "back": "documents"},
    )


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["POST"])
def document_reorder(request: HttpRequest, survey: Survey, document_id: str) -> HttpResponse:
    document = get_object_or_404(Document, pk=document_id, survey=survey)
    try:
        services.document_move(document=document, up=moving_up(request), actor=Actor.from_request(request))
    except services.DocumentMoveRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("engagement:documents", survey_id=survey.pk)


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["POST"])
def document_delete(request: HttpRequest, survey: Survey, document_id: str) -> HttpResponse:
    document = get_object_or_404(Document, pk=document_id, survey=survey)
    title = services.document_delete(document=document, actor=Actor.from_request(request))
    messages.success(request, f"“{title}” has been deleted.")
    return redirect("engagement:documents", survey_id=survey.pk)


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["GET", "POST"])
def events(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = services.event_add(
            survey=survey,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            accessibility=data["accessibility"],
            actor=Actor.from_request(request),
        )
        messages.success(request, f"“{event.title}” has been added to the consultation's page.")
        return redirect("engagement:events", survey_id=survey.pk)
    return render(
        request,
        f"{TEMPLATES}/events.html",
        {"survey": survey, "form": form, "events": selectors.consultation_events(survey=survey)},
    )


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["GET", "POST"])
def event_edit(request: HttpRequest, survey: Survey, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id, survey=survey)
    form = EventForm(request.POST or None, initial=EventForm.initial_from(event))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.event_update(
            event=event,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            accessibility=data["accessibility"],
            actor=Actor.from_request(request),
        )
        messages.success(request, f"“{event.title}” has been saved.")
        return redirect("engagement:events", survey_id=survey.pk)
    return render(request, f"{TEMPLATES}/event_form.html", {"survey": survey, "form": form, "event": event})


@staff_view(Action.LISTING_EDIT, target=SURVEY, methods=["POST"])
def event_delete(request: HttpRequest, survey: Survey, event_id: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=event_id, survey=survey)
    title = services.event_delete(event=event, actor=Actor.from_request(request))
    messages.success(request, f"“{title}” has been deleted.")
    return redirect("engagement:events", survey_id=survey.pk)
