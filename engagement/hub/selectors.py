"""Reads for the consultation hub: finding consultations, and what a consultation's page shows.

Search uses PostgreSQL's full-text search (stemmed English, ranked, title first) where the database is
PostgreSQL, and a plain case-insensitive match of every word on SQLite.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from engagement.models import Document, Event, Listing, Outcome, Topic
from surveys.models import ResidenceArea, Survey


class HubStatus(StrEnum):
    OPEN = "open"
    FORTHCOMING = "forthcoming"
    CLOSED = "closed"


STATUS_LABELS = {HubStatus.OPEN: "Open", HubStatus.FORTHCOMING: "Forthcoming", HubStatus.CLOSED: "Closed"}
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class HubFilters:
    query: str = ""
    topic: str = ""  # a Topic slug
    area: str = ""  # a ResidenceArea code: consultations for that ward, or for the whole area
    statuses: tuple[str, ...] = ()  # HubStatus values; none means all


def status_of(survey: Survey, *, now: dt.datetime | None = None) -> HubStatus:
    """Where a published survey stands for residents."""
    now = now or timezone.now()
    if survey.status == Survey.Status.CLOSED or (survey.closes_at is not None and survey.closes_at <= now):
        return HubStatus.CLOSED
    if survey.opens_at is not None and survey.opens_at > now:
        return HubStatus.FORTHCOMING
    return HubStatus.OPEN


def _status_q(status: str, now: dt.datetime) -> Q:
    closed = Q(status=Survey.Status.CLOSED) | Q(closes_at__lte=now)
    if status == HubStatus.CLOSED:
        return closed
    if status == HubStatus.FORTHCOMING:
        return ~closed & Q(opens_at__gt=now)
    return ~closed & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))


def consultations_public(*, now: dt.datetime | None = None) -> QuerySet[Survey]:
    """Every consultation residents may see: anything but a draft."""
    return Survey.objects.exclude(status=Survey.Status.DRAFT)


def consultation_search(*, filters: HubFilters, now: dt.datetime | None = None) -> QuerySet[Survey]:
    """Published consultations matching the filters: open first (closing soonest), then forthcoming
    (opening soonest), then closed (most recently closed); by relevance within a search on PostgreSQL."""
    now = now or timezone.now()
    surveys = consultations_public().select_related("listing__topic", "outcome")
    if filters.statuses:
        wanted = Q()
        for status in filters.statuses:
            wanted |= _status_q(status, now)
        surveys = surveys.filter(wanted)
    if filters.topic:
        surveys = surveys.filter(listing__topic__slug=filters.topic)
    if filters.area:
        # A consultation for no ward in particular is for everyone, so it is found from any ward.
        for_the_ward = Listing.objects.filter(areas__code=filters.area).values("survey_id")
        for_some_wards = Listing.objects.filter(areas__isnull=False).values("survey_id")
        surveys = surveys.filter(Q(pk__in=for_the_ward) | ~Q(pk__in=for_some_wards))
    query = " ".join(filters.query.split())[:MAX_QUERY_LENGTH]
    if query:
        surveys = _matching(surveys, query)
    return _ordered(surveys, now, ranked=bool(query) and connection.vendor == "postgresql")


def _matching(surveys: QuerySet[Survey], query: str) -> QuerySet[Survey]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("introduction", weight="C", config="english")
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        return surveys.annotate(document=vector, rank=SearchRank(vector, search)).filter(document=search)
    for word in query.split():
        surveys = surveys.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(introduction__icontains=word)
        )
    return surveys


def _ordered(surveys: QuerySet[Survey], now: dt.datetime, *, ranked: bool) -> QuerySet[Survey]:
    group = Case(
        When(_status_q(HubStatus.OPEN, now), then=Value(0)),
        When(_status_q(HubStatus.FORTHCOMING, now), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    surveys = surveys.annotate(hub_group=group)
    order: list[Any] = ["hub_group"]
    if ranked:
        order.append(F("rank").desc())
    # Open: closing soonest; forthcoming: opening soonest; closed: latest first (by closing, newest).
    order += [
        Case(When(hub_group=0, then=F("closes_at")), When(hub_group=1, then=F("opens_at"))).asc(nulls_last=True),
        F("closes_at").desc(nulls_last=True),
        "title",
    ]
    return surveys.order_by(*order)


def topics_in_use() -> QuerySet[Topic]:
    return Topic.objects.filter(listings__survey__in=consultations_public()).distinct().order_by("name")


def areas_all() -> QuerySet[ResidenceArea]:
    return ResidenceArea.objects.order_by("name")


def listing_get(*, survey: Survey) -> Listing | None:
    return Listing.objects.filter(survey=survey).select_related("topic").prefetch_related("areas").first()


def consultation_documents(*, survey: Survey) -> QuerySet[Document]:
    return Document.objects.filter(survey=survey).order_by("position", "uploaded_at")


def consultation_events(*, survey: Survey, now: dt.datetime | None = None) -> QuerySet[Event]:
    return Event.objects.filter(survey=survey).order_by("starts_at")


def outcome_published(*, survey: Survey) -> Outcome | None:
    return Outcome.objects.filter(survey=survey, published_at__isnull=False).first()
