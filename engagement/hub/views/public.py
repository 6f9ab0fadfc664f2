"""The hub residents use: find a consultation, read its page and documents."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from common.rate_limits import rate_limit_exceeded
from engagement.hub import selectors
from engagement.hub.forms import HubSearchForm
from engagement.hub.services import CONTENT_TYPES, EXTENSIONS
from engagement.models import Document
from surveys.models import Survey


def consultation_or_404(slug: str) -> Survey:
    survey = selectors.consultations_public().select_related("listing__topic").filter(slug=slug).first()
    if survey is None:
        raise Http404("No such consultation")
    return survey


def too_many_requests(request: HttpRequest, survey: Survey, *, scope: str) -> HttpResponse | None:
    """The refusal page, when this address has sent more requests of this kind this hour than allowed."""
    limit = settings.HUB_REQUESTS_PER_ADDRESS_PER_HOUR
    if rate_limit_exceeded(request=request, scope=scope, limit=limit, window_seconds=3600):
        return render(request, "engagement/hub/too_many.html", {"survey": survey}, status=429)
    return None


def hub(request: HttpRequest) -> HttpResponse:
    form = HubSearchForm(request.GET or None)
    filters = form.filters()
    now = timezone.now()
    results = selectors.consultation_search(filters=filters, now=now)
    page = Paginator(results, settings.HUB_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = [(k, v) for k, v in request.GET.lists() if k != "page" for v in v]
    consultations = []
    for survey in page.object_list:
        status = selectors.status_of(survey, now=now)
        consultations.append((survey, status, selectors.STATUS_LABELS[status]))
    return render(
        request,
        "engagement/hub/hub.html",
        {
            "form": form,
            "errors": form.problems(),
            "filters": filters,
            "page": page,
            "consultations": consultations,
            "query": urlencode(kept),
            "searched": any([filters.query, filters.topic, filters.area, filters.statuses]),
            "status_labels": selectors.STATUS_LABELS,
        },
    )


def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    survey = consultation_or_404(slug)
    status = selectors.status_of(survey)
    events = list(selectors.consultation_events(survey=survey))
    now = timezone.now()
    if status == selectors.HubStatus.CLOSED:  # events still to come are no longer a way to respond
        events = [event for event in events if event.ends_at <= now]
    return render(
        request,
        "engagement/hub/consultation.html",
        {
            "past_events": {event.pk for event in events if event.ends_at <= now},
            "upcoming_events": any(event.ends_at > now for event in events),
            "survey": survey,
            "status": status,
            "status_label": selectors.STATUS_LABELS[status],
            "listing": selectors.listing_get(survey=survey),
            "documents": selectors.consultation_documents(survey=survey),
            "events": events,
            "outcome": selectors.outcome_published(survey=survey),
        },
    )


def document(request: HttpRequest, slug: str, document_id: str) -> FileResponse:
    survey = consultation_or_404(slug)
    doc = get_object_or_404(Document, pk=document_id, survey=survey)
    response = FileResponse(
        doc.file.open("rb"),
        content_type=CONTENT_TYPES[doc.kind],
        as_attachment=doc.kind in ("docx", "odt"),
        filename=f"{survey.slug}-{doc.position}.{EXTENSIONS[doc.kind]}",
    )
    return response
