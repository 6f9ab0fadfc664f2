"""Residents ask for other formats; officers work through them as a queue; the contact details are
deleted when the consultation closes (on schedule, and at once when it is closed early)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from engagement.formats.services import format_contacts_delete
from engagement.models import FormatRequest
from surveys.models import Survey
from tests.factories import SurveyFactory, TeamFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return SurveyFactory(team=TeamFactory(name="Parks"), title="Parks survey")


def ask(client, survey, **fields):
    return client.post(f"/consultations/{survey.slug}/request-a-format/", fields)


def test_a_resident_asks_for_large_print_and_an_officer_marks_it_done(client, survey):
    response = ask(client, survey, formats=["large_print"], name="Ann Smith", address="1 High Street\nSale M33 1AA")
    assert response.status_code == 302
    assert "Request sent" in client.get(response["Location"]).content.decode()
    request = FormatRequest.objects.get()
    assert (request.formats, request.name, request.done_at) == (["large_print"], "Ann Smith", None)

    officer = staff_member("officer")
    client.force_login(officer)
    queue = client.get(f"/officers/surveys/{survey.pk}/format-requests/").content.decode()
    assert "Large print" in queue and "Ann Smith" in queue and "1 High Street" in queue and "Mark as done" in queue
    client.post(f"/officers/surveys/{survey.pk}/format-requests/{request.pk}/done/")
    request.refresh_from_db()
    assert request.done_at is not None and request.done_by == officer
    assert AuditEntry.objects.filter(action=AuditAction.FORMAT_REQUEST_DONE).count() == 1
    client.post(f"/officers/surveys/{survey.pk}/format-requests/{request.pk}/done/")
    assert AuditEntry.objects.filter(action=AuditAction.FORMAT_REQUEST_DONE).count() == 1  # once
    assert "Mark as done" not in client.get(f"/officers/surveys/{survey.pk}/format-requests/").content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Ann"}, "Select at least one format, or help by phone"),
        ({"formats": ["language"], "name": "Ann", "email": "ann@example.com"}, "Enter the language you would like"),
        ({"formats": ["phone"], "name": "Ann", "email": "ann@example.com"}, "Enter a phone number so we can call you"),
        ({"formats": ["paper"], "name": "Ann"}, "Enter a postal address (or an email address) to send it to"),
        ({"formats": ["bsl"], "name": "Ann"}, "Enter an email address, phone number or postal address so we can reply"),
        ({"formats": ["bsl"], "email": "ann@example.com"}, "Enter your name"),
        ({"formats": ["bsl"], "name": "Ann", "email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"formats": ["sideways"], "name": "Ann", "email": "ann@example.com"}, "Select a valid choice"),
    ],
)
def test_incomplete_requests_say_what_to_fix_and_store_nothing(client, survey, fields, message):
    response = ask(client, survey, **fields)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert page.split("</title>")[0].count("Error:") == 1
    assert not FormatRequest.objects.exists()


def test_no_requests_once_the_consultation_has_closed(client, survey):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, closes_at=timezone.now())
    response = ask(client, survey, formats=["paper"], name="Ann", address="1 High Street")
    assert response.status_code == 404 and "This consultation has closed" in response.content.decode()
    assert not FormatRequest.objects.exists()


def test_contact_details_are_deleted_on_schedule_once_the_consultation_closes(client, survey):
    other = SurveyFactory(title="Still open")
    ask(client, survey, formats=["paper"], name="Ann", address="1 High Street", details="Call after 5pm")
    ask(client, other, formats=["phone"], name="Bob", phone="0161 000 0000")
    # The closing date passes without anyone closing it by hand: the scheduled command deletes them.
    closes = survey.closes_at
    out = StringIO()
    call_command("purge_format_contacts", stdout=out)
    assert "Deleted the contact details of 0 requests" in out.getvalue()
    assert format_contacts_delete(now=closes - dt.timedelta(seconds=1)) == 0
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("purge_format_contacts", stdout=out)
    assert "Deleted the contact details of 1 request for other formats." in out.getvalue()
    closed, still_open = FormatRequest.objects.get(survey=survey), FormatRequest.objects.get(survey=other)
    assert (closed.name, closed.address, closed.email, closed.phone, closed.details) == ("", "", "", "", "")
    assert closed.formats == ["paper"] and closed.contact_deleted_at is not None
    assert (still_open.name, still_open.phone) == ("Bob", "0161 000 0000")
    client.force_login(staff_member("officer"))
    assert "Deleted at closing" in client.get(f"/officers/surveys/{survey.pk}/format-requests/").content.decode()


def test_closing_a_consultation_early_deletes_its_requests_contact_details_at_once(client, survey):
    ask(client, survey, formats=["paper"], name="Ann", address="1 High Street")
    client.force_login(staff_member("officer"))
    # The officer is warned first, and told the truth about residents part-way through.
    warning = client.get(f"/officers/surveys/{survey.pk}/close/").content.decode()
    assert "1 request for another format is still waiting. Closing deletes its contact details" in warning
    assert "anyone part-way through has 30 minutes to finish and send theirs" in warning
    assert "is told it has closed." not in warning
    client.post(f"/officers/surveys/{survey.pk}/close/")
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.CLOSED
    request = FormatRequest.objects.get()
    assert request.name == ""
    # A request whose contact is gone cannot be done: the queue says so, and offers no button.
    queue = client.get(f"/officers/surveys/{survey.pk}/format-requests/").content.decode()
    assert "Mark as done" not in queue and "Not sent" in queue and "Contact details deleted at closing" in queue
    client.post(f"/officers/surveys/{survey.pk}/format-requests/{request.pk}/done/")
    assert FormatRequest.objects.get().done_at is None


def test_an_analyst_cannot_see_residents_contact_details(client, survey):
    ask(client, survey, formats=["paper"], name="Ann", address="1 High Street")
    client.force_login(staff_member("analyst", role="Analyst"))
    assert client.get(f"/officers/surveys/{survey.pk}/format-requests/").status_code == 403


def test_requests_from_one_address_are_limited(client, survey, settings):
    settings.HUB_REQUESTS_PER_ADDRESS_PER_HOUR = 2
    for name in ["Ann", "Bob"]:
        assert ask(client, survey, formats=["bsl"], name=name, email="x@example.com").status_code == 302
    refused = ask(client, survey, formats=["bsl"], name="Cat", email="x@example.com")
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert FormatRequest.objects.count() == 2
    other = client.post(
        f"/consultations/{survey.slug}/request-a-format/",
        {"formats": ["bsl"], "name": "Dan", "email": "d@example.com"},
        REMOTE_ADDR="192.0.2.9",
    )
    assert other.status_code == 302 and FormatRequest.objects.count() == 3


def test_the_daily_retention_run_deletes_contacts_of_closed_consultations_and_expired_exports(client, survey):
    from exports.models import ResponseExport
    from surveys.retention import retention_apply

    ask(client, survey, formats=["paper"], name="Ann", address="1 High Street")
    officer = staff_member("officer")
    old = ResponseExport.objects.create(survey=survey, requested_by=officer, file_format="csv")
    ResponseExport.objects.filter(pk=old.pk).update(requested_at=timezone.now() - dt.timedelta(days=30))
    fresh = ResponseExport.objects.create(survey=survey, requested_by=officer, file_format="csv")

    said = retention_apply()
    assert "Deleted the contact details of 0 requests" in said  # still open: kept
    assert "Deleted 1 expired response export." in said  # older than EXPORT_KEEP_HOURS
    assert FormatRequest.objects.get(survey=survey).name == "Ann"

    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    said = retention_apply()
    assert "Deleted the contact details of 1 request for other formats." in said
    assert FormatRequest.objects.get(survey=survey).name == ""
    assert list(ResponseExport.objects.values_list("pk", flat=True)) == [fresh.pk]
