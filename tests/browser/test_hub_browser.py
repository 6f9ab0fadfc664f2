"""The hub in Chromium: a resident finds a consultation by searching and reads its document; the hub's
pages pass axe (WCAG 2.2 AA)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from engagement.models import Document, Event, Listing, Topic
from surveys.models import Survey
from tests.browser.axe_rules import axe_violations, describe

pytestmark = pytest.mark.browser
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def hub_world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    parks, _ = Topic.objects.get_or_create(slug="parks", defaults={"name": "Parks and open spaces"})
    survey = Survey.objects.create(
        title="New playgrounds for Sale",
        slug="playgrounds",
        summary="Where should the new play areas go?",
        status=Survey.Status.OPEN,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=20),
    )
    Survey.objects.create(
        title="Parking charges",
        slug="parking",
        summary="Charges in council car parks.",
        status=Survey.Status.OPEN,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=10),
    )
    Listing.objects.create(survey=survey, topic=parks, return_address="Town Hall\nSale M33 7ZZ")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "plan.pdf").write_bytes(PDF)
    Document.objects.create(survey=survey, title="The draft plan", kind="pdf", file="documents/plan.pdf", size=len(PDF))
    Event.objects.create(
        survey=survey,
        title="Drop-in at Sale Library",
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2),
        place="Sale Library, Tatton Road",
        accessibility="Step-free access and a hearing loop.",
    )
    return survey


def assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}\n{describe(violations)}"


def test_a_resident_finds_a_consultation_by_search_and_reads_its_document(live_server, page, hub_world):
    page.goto(live_server.url)
    page.get_by_label("Search consultations").fill("playgrounds")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 consultation found")).to_be_visible()
    expect(page.get_by_role("link", name="Parking charges")).to_have_count(0)
    page.get_by_role("link", name="New playgrounds for Sale").click()
    expect(page.locator("h1")).to_have_text("New playgrounds for Sale")
    expect(page.get_by_text("Step-free access and a hearing loop.")).to_be_visible()
    link = page.get_by_role("link", name="The draft plan")
    served = page.request.get(live_server.url + link.get_attribute("href"))
    assert served.status == 200 and served.headers["content-type"] == "application/pdf"
    assert served.body() == PDF


def test_the_hub_and_consultation_pages_pass_axe(live_server, js_page, hub_world):
    page = js_page
    page.goto(live_server.url)
    assert_accessible(page, "hub")
    page.goto(live_server.url + "/?q=nothing+matches+this&status=closed")
    expect(page.get_by_text("No consultations match your search")).to_be_visible()
    assert_accessible(page, "hub, no results")
    page.goto(f"{live_server.url}/consultations/{hub_world.slug}/")
    assert_accessible(page, "consultation page")
