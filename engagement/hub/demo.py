"""The demo consultations' hub listings: topics, a return address, a phone number and events."""

import datetime as dt

from django.utils import timezone

from engagement.models import Event, Listing, Topic
from surveys.models import Survey

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
