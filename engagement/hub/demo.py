"""The demo consultations' hub listings: topics, a return address, a phone number and events."""

import datetime as dt

from django.utils import timezone

from access.models import Team
from engagement.models import Event, Listing, Outcome, Topic
from surveys.demo import _remove
from surveys.equality.services import equality_section_add
from surveys.models import Choice, Page, Question, Survey
from surveys.selectors import DEFAULT_AGREEMENT_CHOICES
from surveys.synthetic import responses_generate

CLOSED_SEED = 20261129

RETURN_ADDRESS = "Freepost RTHB-XKCL-ZZYA\nConsultation team\nTrafford Town Hall\nTalbot Road\nStretford M32 0TH"


def hub_demo_add(*, survey: Survey, topic_slug: str, now: dt.datetime | None = None) -> Listing:
    """Give a demo consultation its listing and two events (replacing any it had)."""
    now = now or timezone.now()
    listing, _ = Listing.objects.update_or_create(
        survey=survey,
        defaults={
            "topic": Topic.objects.filter(slug=topic_slug).first(),
            "return_address": RETURN_ADDRESS,
            "contact_phone": "0161 912 2000",
        },
    )
    Event.objects.filter(survey=survey).delete()
    day = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=7)
    Event.objects.create(
        survey=survey,
        title="Drop-in at Sale Library",
        starts_at=day,
        ends_at=day + dt.timedelta(hours=3),
        place="Sale Library, Tatton Road, Sale M33 7YH",
        accessibility="Step-free access from Tatton Road, a hearing loop at the desk and an accessible toilet.",
    )
    Event.objects.create(
        survey=survey,
        title="Evening meeting",
        starts_at=day + dt.timedelta(days=3, hours=8),
        ends_at=day + dt.timedelta(days=3, hours=10),
        place="Stretford Public Hall, Chester Road, Stretford M32 0LG",
        accessibility="Lift to the first floor, hearing loop, BSL interpreter if you ask by the day before.",
    )
    return listing


CLOSED_SLUG = "bin-collection-days"


def closed_consultation_create(*, team: Team, responses: int, now: dt.datetime | None = None) -> Survey:
    """A consultation that closed a month ago, with its outcome published: the hub's closed list and
    an outcome page have something to show. Re-created each time."""
    now = now or timezone.now()
    existing = Survey.objects.filter(slug=CLOSED_SLUG).first()
    if existing:
        _remove(existing)
    survey = Survey.objects.create(
        title="Bin collection days",
        slug=CLOSED_SLUG,
        summary="Which day your bins are collected, and how often.",
        introduction="We asked which collection day suits you best, and whether fortnightly collections work.",
        privacy_notice="Trafford Council's Waste team ran this consultation under our public task.",
        opens_at=now - dt.timedelta(days=90),
        closes_at=now - dt.timedelta(days=30),
        team=team,
        status=Survey.Status.OPEN,  # while the synthetic responses are added
    )
    page = Page.objects.create(survey=survey, position=1, title="Collections")
    day = Question.objects.create(
        page=page, position=1, key="day", text="Which collection day suits you best?", type="single_choice"
    )
    for i, name in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], start=1):
        Choice.objects.create(question=day, position=i, value=name.lower(), label=name)
    fortnightly = Question.objects.create(
        page=page, position=2, key="fortnightly", text="Fortnightly collections work for my household", type="agreement"
    )
    for i, (value, label) in enumerate(DEFAULT_AGREEMENT_CHOICES, start=1):  # answers are counted by their choice
        Choice.objects.create(question=fortnightly, position=i, value=value, label=label)
    equality_section_add(
        survey=survey, keys=["date_of_birth", "sex", "ethnic_group", "long_term_condition", "disability"]
    )
    if responses:
        responses_generate(survey=survey, count=responses, seed=CLOSED_SEED)
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    hub_demo_add(survey=survey, topic_slug="waste", now=now - dt.timedelta(days=60))
    Outcome.objects.create(
        survey=survey,
        we_asked="Which day of the week suits you best for bin collections, and whether fortnightly collections work.",
        you_said="Most people preferred a collection early in the week. Most agreed that fortnightly collections "
        "work, but families with young children asked for weekly food waste collections.",
        we_did="From April, collections move to Monday and Tuesday, and food waste will be collected every week.",
        decided_on=timezone.localdate(now - dt.timedelta(days=7)),
        published_at=now - dt.timedelta(days=5),
    )
    return survey
