"""Responses for staff whose role reads them: cursor pages, filters, About you answers only with the permission."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEntry
from engagement.models import Event, ResponseSource
from surveys.models import EqualityProfile, Response
from tests.api.conftest import WEEKLY_VISITOR, errors_by_field

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(demo):
    """Five responses to the demo: three online (one a day, newest last), two on paper."""
    for i, channel in enumerate(["online", "online", "online", "paper", "paper"]):
        APIClient().post(
            f"/api/v1/public/surveys/{demo.slug}/responses/",
            {"answers": {**WEEKLY_VISITOR, "about_you_sex": "male"}, "channel": channel},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"r{i}",
        )
    base = timezone.now() - dt.timedelta(days=10)
    for i, response in enumerate(Response.objects.order_by("reference")):
        Response.objects.filter(pk=response.pk).update(submitted_at=base + dt.timedelta(days=i))
    assert Response.objects.count() == 5
    return demo


def url(survey) -> str:
    return f"/api/v1/surveys/{survey.pk}/responses/"


def test_an_analyst_reads_responses_page_by_page_following_the_cursor(staff, answered):
    client = staff.client("analyst_without")
    first = client.get(url(answered) + "?page_size=2").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    seen = [r["reference"] for page in (first, second, third) for r in page["results"]]
    assert len(seen) == len(set(seen)) == 5 and third["next"] is None
    newest = Response.objects.order_by("-submitted_at").first()
    assert seen[0] == newest.reference
    comments = [a for a in first["results"][0]["answers"] if a["question"] == "comments"]
    assert comments == [
        {
            "question": "comments",
            "type": "long_text",
            "grid_row": None,
            "choice": None,
            "choice_label": None,
            "text": "More bins, please.",
            "number": None,
            "date": None,
        }
    ]
    assert first["results"][0]["equality"] is None


def test_responses_filter_by_channel_and_submission_time(staff, answered):
    client = staff.client("officer")
    paper = client.get(url(answered) + "?channel=paper").json()["results"]
    assert {r["channel"] for r in paper} == {"paper"} and len(paper) == 2
    cutoff = Response.objects.order_by("submitted_at")[2].submitted_at
    recent = client.get(url(answered), {"submitted_after": cutoff.isoformat()}).json()["results"]
    assert len(recent) == 3
    bad = client.get(url(answered) + "?submitted_after=yesterday")
    assert bad.status_code == 400 and "submitted_after" in errors_by_field(bad.json())


def test_viewers_and_other_teams_do_not_read_responses(staff, answered):
    viewer = staff.client("viewer").get(url(answered))
    assert viewer.status_code == 403
    assert viewer.json()["message"] == "Your role does not include reading individual responses."
    assert staff.client("planning").get(url(answered)).status_code == 403
    one = Response.objects.first()
    assert staff.client("planning").get(f"/api/v1/responses/{one.pk}/").status_code == 403
    assert APIClient().get(url(answered)).status_code == 401


def test_about_you_answers_need_the_permission_and_are_recorded(staff, answered):
    refused = staff.client("analyst_without").get(url(answered) + "?equality=true")
    assert refused.status_code == 403
    assert "permission to view equality data" in refused.json()["message"]
    body = staff.client("analyst").get(url(answered) + "?equality=true").json()
    assert {r["equality"]["sex"] for r in body["results"]} == {"male"}
    entry = AuditEntry.objects.get(action=AuditAction.EQUALITY_ANSWERS_VIEWED)
    assert (entry.actor_name, entry.via, entry.detail) == ("analyst", "api", {"responses": 5})


def test_one_response_with_and_without_its_about_you_answers(staff, answered):
    response = Response.objects.first()
    plain = staff.client("analyst").get(f"/api/v1/responses/{response.pk}/").json()
    assert plain["reference"] == response.reference and plain["equality"] is None
    full = staff.client("analyst").get(f"/api/v1/responses/{response.pk}/?equality=true").json()
    assert full["equality"]["sex"] == "male"
    assert AuditEntry.objects.filter(action=AuditAction.EQUALITY_ANSWERS_VIEWED, object_id=str(response.pk)).exists()


def test_an_officer_deletes_a_response_with_its_about_you_answers_and_an_analyst_cannot(staff, answered):
    response = Response.objects.first()
    assert staff.client("analyst").delete(f"/api/v1/responses/{response.pk}/").status_code == 403
    assert staff.client("officer").delete(f"/api/v1/responses/{response.pk}/").status_code == 204
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not EqualityProfile.objects.filter(response_id=response.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.RESPONSE_DELETED, via="api").count() == 1


def test_an_unknown_response_is_a_json_404(staff, db):
    reply = staff.client("officer").get("/api/v1/responses/00000000-0000-0000-0000-000000000000/")
    assert reply.status_code == 404
    assert reply.json()["message"] == "There is nothing at this address, or it has been deleted."


def test_a_keyed_in_response_shows_its_paper_form_who_keyed_it_its_event_and_partner(staff, answered):
    """What the response page shows staff ("Paper form FX-2. Keyed in by officer"), the API shows them too."""
    paper, online = Response.objects.filter(channel="paper").first(), Response.objects.filter(channel="online").first()
    event = Event.objects.create(
        survey=answered,
        title="Drop-in at the library",
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(hours=2),
        place="Central Library",
    )
    ResponseSource.objects.create(
        response=paper,
        survey=answered,
        paper_reference="FX-2",
        keyed_by=staff.officer,
        event=event,
        partner="Age UK Walton",
    )
    client = staff.client("analyst_without")
    one = client.get(f"/api/v1/responses/{paper.pk}/").json()
    assert one["keyed_in"]["paper_reference"] == "FX-2"
    assert one["keyed_in"]["keyed_by"] == "officer"
    assert one["keyed_in"]["event"]["title"] == "Drop-in at the library"
    assert one["keyed_in"]["partner"] == "Age UK Walton"
    assert one["keyed_in"]["keyed_at"]
    listed = {r["reference"]: r for r in client.get(url(answered)).json()["results"]}
    assert listed[paper.reference]["keyed_in"]["paper_reference"] == "FX-2"
    assert listed[online.reference]["keyed_in"] is None
    # A response keyed in by someone who has since left says so, as the page does.
    staff.officer.delete()
    gone = client.get(f"/api/v1/responses/{paper.pk}/").json()["keyed_in"]
    assert gone["keyed_by"] is None and gone["paper_reference"] == "FX-2"
