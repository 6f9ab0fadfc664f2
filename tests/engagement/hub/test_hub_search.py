"""The hub at /: residents find consultations by words, topic, ward and status, a page at a time.
Runs on SQLite (a plain match of every word) and on PostgreSQL (full-text search, stemmed)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.utils import timezone

from engagement.hub.selectors import HubFilters, consultation_search
from engagement.models import Event, Listing, Topic
from surveys.models import ResidenceArea, Survey
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _titles(response) -> list[str]:
    return re.findall(r'href="/consultations/[^/]+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def world():
    parks, roads = Topic.objects.get(slug="parks"), Topic.objects.get(slug="transport")
    north = ResidenceArea.objects.create(code="E05000001", name="Altrincham")
    south = ResidenceArea.objects.create(code="E05000002", name="Sale Central")

    def make(title, *, topic, areas=(), summary="", status=Survey.Status.OPEN, opens=-5, closes=20):
        survey = SurveyFactory(
            title=title,
            summary=summary,
            status=status,
            opens_at=NOW + dt.timedelta(days=opens),
            closes_at=NOW + dt.timedelta(days=closes),
        )
        listing = Listing.objects.create(survey=survey, topic=topic)
        listing.areas.set(areas)
        return survey

    return {
        "playgrounds": make("New playgrounds", topic=parks, areas=[north], summary="Swings and slides in parks."),
        "trees": make("Street trees", topic=parks, summary="Planting trees on our streets.", closes=10),
        "parking": make("Parking charges", topic=roads, areas=[south], summary="Charges for parking in Sale."),
        "cycle": make("Cycle lanes", topic=roads, opens=5, closes=40, summary="Safer cycling routes."),
        "bins": make("Bin collections", topic=None, opens=-60, closes=-10, summary="How often bins are emptied."),
        "draft": make("Draft about parks", topic=parks, status=Survey.Status.DRAFT, summary="Parks, not yet public."),
    }


def test_the_hub_lists_open_then_forthcoming_then_closed_and_never_drafts(client, world):
    assert _titles(client.get("/")) == [
        "Street trees",
        "New playgrounds",
        "Parking charges",
        "Cycle lanes",
        "Bin collections",
    ]


def test_search_finds_words_in_title_and_summary(client, world):
    assert _titles(client.get("/", {"q": "charges"})) == ["Parking charges"]
    assert _titles(client.get("/", {"q": "trees streets"})) == ["Street trees"]
    page = client.get("/", {"q": "swimming pool"}).content.decode()
    assert "No consultations match your search" in page and "0 consultations found" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's full-text search")
def test_postgresql_search_is_full_text_stemmed_and_ranked(world):
    # "playground" finds "playgrounds"; "cycling" finds "Cycle lanes" only through stemming of its summary.
    found = consultation_search(filters=HubFilters(query="playground"), now=NOW)
    assert [s.title for s in found] == ["New playgrounds"]
    found = consultation_search(filters=HubFilters(query="cycle"), now=NOW)
    assert [s.title for s in found] == ["Cycle lanes"]
    # "parking" and "parks" share the stem "park": both are found, the one with it in its title first
    # (open consultations come before forthcoming and closed ones whatever their rank).
    found = consultation_search(filters=HubFilters(query="parking"), now=NOW)
    assert [s.title for s in found] == ["Parking charges", "New playgrounds"]


def test_filters_by_topic_ward_and_status(client, world):
    assert _titles(client.get("/", {"topic": "parks"})) == ["Street trees", "New playgrounds"]
    # A ward finds its own consultations and those for the whole area, not another ward's.
    assert "Parking charges" not in _titles(client.get("/", {"area": "E05000001"}))
    assert "New playgrounds" in _titles(client.get("/", {"area": "E05000001"}))
    assert "Street trees" in _titles(client.get("/", {"area": "E05000001"}))
    assert _titles(client.get("/", {"status": "closed"})) == ["Bin collections"]
    assert _titles(client.get("/", {"status": "forthcoming"})) == ["Cycle lanes"]
    assert _titles(client.get("/", {"status": ["forthcoming", "closed"]})) == ["Cycle lanes", "Bin collections"]
    assert _titles(client.get("/", {"topic": "transport", "status": "open"})) == ["Parking charges"]


def test_bad_filter_values_are_dropped_and_the_page_says_so(client, world):
    response = client.get("/", {"topic": "no-such-topic", "status": "sideways", "area": "X", "page": "banana"})
    assert response.status_code == 200
    assert len(_titles(response)) == 5
    page = response.content.decode()
    assert "There is a problem" in page
    for said in ["every topic is shown", "every area is shown", "Select a status from the list"]:
        assert said in page
    # A good filter beside a bad one still applies.
    assert _titles(client.get("/", {"topic": "parks", "status": "bogus"})) == ["Street trees", "New playgrounds"]
    assert "There is a problem" not in client.get("/", {"topic": "parks"}).content.decode()


def test_an_over_long_search_searches_its_start_and_says_so(client, world):
    response = client.get("/", {"q": "playgrounds " + "x" * 3000})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Search must be 200 characters or fewer: we searched for the first 200" in page
    assert 'href="#id_q"' in page


def test_a_search_with_a_null_character_searches_without_it_and_says_so(client, world):
    # A null character in the address (%00) was searched for as it was: PostgreSQL refused it (a server error).
    response = client.get("/", {"q": "playgrounds\x00"})
    assert response.status_code == 200
    assert _titles(response) == ["New playgrounds"]
    page = response.content.decode()
    assert "Search must not include a null character: we searched without it" in page
    assert "characters or fewer" not in page


def test_pagination_keeps_the_search(client, world, settings):
    settings.HUB_PAGE_SIZE = 2
    first = client.get("/", {"topic": "parks"})
    assert _titles(first) == ["Street trees", "New playgrounds"]
    everything = client.get("/")
    assert _titles(everything) == ["Street trees", "New playgrounds"]
    page = everything.content.decode()
    assert "Page 1 of 3" in page and 'href="?page=2"' in page
    searched = client.get("/", {"status": ["open", "closed"], "page": "2"})
    assert _titles(searched) == ["Parking charges", "Bin collections"]
    assert "status=open&amp;status=closed&amp;page=1" in searched.content.decode()


def test_consultation_page_shows_summary_dates_and_how_to_respond(client, world):
    page = client.get("/consultations/" + world["playgrounds"].slug + "/").content.decode()
    assert "Swings and slides in parks." in page and "Key dates" in page
    assert f'href="/s/{world["playgrounds"].slug}/"' in page
    assert client.get("/consultations/" + world["draft"].slug + "/").status_code == 404


def test_a_forthcoming_consultation_lets_residents_ask_for_another_format_before_it_opens(client, world):
    page = client.get("/consultations/" + world["cycle"].slug + "/").content.decode()
    assert "You can respond from" in page
    assert f'href="/consultations/{world["cycle"].slug}/request-a-format/"' in page


def test_events_that_have_taken_place_are_not_offered_as_a_way_to_respond(client, world):
    survey = world["trees"]
    past = Event.objects.create(
        survey=survey,
        title="Tree walk",
        starts_at=NOW - dt.timedelta(days=3),
        ends_at=NOW - dt.timedelta(days=3, hours=-2),
        place="Walton Park",
    )
    page = client.get(f"/consultations/{survey.slug}/").content.decode()
    assert "Tree walk" in page and "This event has taken place." in page
    assert "In person, at one of the" not in page
    Event.objects.create(
        survey=survey,
        title="Drop-in",
        starts_at=NOW + dt.timedelta(days=3),
        ends_at=NOW + dt.timedelta(days=3, hours=2),
        place="Library",
    )
    page = client.get(f"/consultations/{survey.slug}/").content.decode()
    assert "In person, at one of the" in page and page.count("This event has taken place.") == 1
    assert page.index("Tree walk") < page.index("Drop-in") and past.pk
    # Once the consultation has closed, an event still to come is no longer listed as a way to respond.
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, closes_at=NOW - dt.timedelta(hours=1))
    page = client.get(f"/consultations/{survey.slug}/").content.decode()
    assert "Tree walk" in page and "Drop-in" not in page
