"""A resident's right of access and erasure: an administrator, given the reference, sees everything held
about the response (About you answers included) and deletes it with them; both are recorded."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from surveys.equality.services import equality_profile_create, equality_section_add
from surveys.models import Answer, EqualityProfile, Response, SavedJourney
from surveys.saved_journeys import journey_save
from tests.factories import SurveyFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def response():
    survey = SurveyFactory(title="Future of our parks")
    equality_section_add(survey=survey, keys=["sex", "religion"])
    response = Response.objects.create(survey=survey, reference="HX4K-9PQR", submission_key="k1")
    equality_profile_create(
        response=response, answers={"about_you_sex": "female", "about_you_religion": "muslim"}, section_skipped=False
    )
    journey_save(survey=survey, data={}, current_step="2", reference="HX4K-9PQR")
    return response


@pytest.fixture
def admin_client(client):
    client.force_login(staff_member("admin", role="Administrator", team=None))
    return client


def test_an_administrator_finds_the_response_however_the_reference_is_written(admin_client, response):
    found = admin_client.get(reverse("engagement:data_request_find"), {"reference": " hx4k-9pqr "})
    assert found.status_code == 302 and found["Location"] == reverse("engagement:data_request", args=[response.pk])
    for written in ["HX4K9PQR", "hx4k 9pqr", "HX4K–9PQR"]:  # read out or typed without its hyphen, or a dash
        found = admin_client.get(reverse("engagement:data_request_find"), {"reference": written})
        assert found.status_code == 302, written
    missing = admin_client.get(reverse("engagement:data_request_find"), {"reference": "NOPE-NOPE"})
    assert missing.status_code == 200
    assert "No response has this reference. Check it with the resident" in missing.text
    assert 'class="govuk-error-summary"' in missing.text and missing.text.count("Check it with the resident") == 2


def test_everything_held_is_shown_and_showing_it_is_recorded(admin_client, response):
    page = admin_client.get(reverse("engagement:data_request", args=[response.pk])).text
    assert "Everything held about response HX4K-9PQR" in page and "Future of our parks" in page
    assert "Female" in page and "Muslim" in page  # About you answers, for the resident to see
    assert "A saved copy of the answers" in page
    entry = AuditEntry.objects.get(object_id=str(response.pk))
    assert entry.action == AuditAction.EQUALITY_ANSWERS_VIEWED and entry.actor_name == "admin"
    assert entry.detail["purpose"] == "right of access" and entry.detail["about_you"] is True
    assert "Muslim" not in str(entry.detail)  # counts, never the answers


def test_erasure_deletes_the_response_its_about_you_answers_and_saved_copy_and_is_recorded(admin_client, response):
    confirm = admin_client.get(reverse("engagement:data_request_erase", args=[response.pk]))
    assert "Delete response HX4K-9PQR?" in confirm.text and Response.objects.filter(pk=response.pk).exists()

    done = admin_client.post(reverse("engagement:data_request_erase", args=[response.pk]), follow=True)

    assert "Response HX4K-9PQR, its &#x27;About you&#x27; answers and any saved copy have been deleted." in done.text
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not EqualityProfile.objects.filter(response_id=response.pk).exists()
    assert not Answer.objects.filter(response_id=response.pk).exists()
    assert not SavedJourney.objects.filter(reference="HX4K-9PQR").exists()
    erased = AuditEntry.objects.get(action=AuditAction.RESPONSE_DELETED)
    assert erased.object_id == str(response.pk) and erased.detail["reason"] == "erasure request"
    assert erased.detail["saved_journeys"] == 1


@pytest.mark.parametrize("role", ["Engagement officer", "Analyst", "Viewer"])
def test_only_administrators_answer_data_requests(client, response, role):
    client.force_login(staff_member("someone", role=role, equality_data=True))
    for name in ("engagement:data_request", "engagement:data_request_erase"):
        assert client.get(reverse(name, args=[response.pk])).status_code == 403
    assert client.post(reverse("engagement:data_request_erase", args=[response.pk])).status_code == 403
    assert Response.objects.filter(pk=response.pk).exists()


def test_erasures_since_a_backup_are_made_again_after_a_restore_by_reference(response):
    # A restored backup holds the responses erased since it was taken: erase_responses erases them again.
    out = io.StringIO()
    call_command("erase_responses", "hx4k9pqr", "NOPE-NOPE", stdout=out)

    assert not Response.objects.filter(pk=response.pk).exists()
    assert not EqualityProfile.objects.filter(response_id=response.pk).exists()
    assert not SavedJourney.objects.filter(reference="HX4K-9PQR").exists()
    assert out.getvalue().splitlines() == [
        "HX4K-9PQR: erased, with its About you answers and any saved copy",
        "NOPE-NOPE: not held (already erased, or no response has it)",
    ]
    entry = AuditEntry.objects.get(action=AuditAction.RESPONSE_DELETED, object_id=str(response.pk))
    assert entry.via == "command" and entry.detail["reason"] == "erasure request"


def test_a_number_answer_reads_as_the_resident_gave_it(admin_client, response):
    from decimal import Decimal

    from surveys.models import Page, Question

    page = Page.objects.create(survey=response.survey, position=99, title="Getting to the park")
    walk = Question.objects.create(
        page=page, position=1, key="walk_minutes", text="How many minutes is your walk?", type=Question.Type.NUMBER
    )
    Answer.objects.create(response=response, question=walk, number=Decimal("12"))
    Answer.objects.filter(question=walk).update(number=Decimal("12.00"))  # as the database gives it back
    shown = admin_client.get(reverse("engagement:data_request", args=[response.pk])).text
    assert "How many minutes is your walk?" in shown
    assert ">12<" in shown and "12.00" not in shown


def test_a_number_with_a_fraction_reads_as_the_resident_gave_it(admin_client, response):
    from decimal import Decimal

    from surveys.models import Page, Question

    page = Page.objects.create(survey=response.survey, position=99, title="Getting to the park")
    walk = Question.objects.create(
        page=page, position=1, key="walk_miles", text="How many miles is your walk?", type=Question.Type.NUMBER
    )
    Answer.objects.create(response=response, question=walk, number=Decimal("12.5"))
    Answer.objects.filter(question=walk).update(number=Decimal("12.50"))  # as the database gives it back
    shown = admin_client.get(reverse("engagement:data_request", args=[response.pk])).text
    assert ">12.5<" in shown and "12.50" not in shown
