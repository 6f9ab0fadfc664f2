"""Submitting responses through the API: validated as the web journey validates, stored once per Idempotency-Key."""

import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from common.api.throttles import AnonymousSubmissions
from surveys.models import Answer, EqualityProfile, Question, Response, Survey
from tests.api.conftest import WEEKLY_VISITOR, errors_by_field

pytestmark = pytest.mark.django_db


def submit(client: APIClient, slug: str, body: dict, key: str | None = None, **headers: str):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(f"/api/v1/public/surveys/{slug}/responses/", body, format="json", **headers)


def test_a_kiosk_submits_a_response_and_gets_a_reference(demo):
    about_you = {"about_you_sex": "female", "about_you_date_of_birth": {"age": 40}}
    body = {"answers": {**WEEKLY_VISITOR, **about_you}, "channel": "event"}
    reply = submit(APIClient(), demo.slug, body, key=str(uuid.uuid4()))
    assert reply.status_code == 201, reply.json()
    response = Response.objects.get()
    assert reply.json()["reference"] == response.reference
    assert response.channel == "event"
    assert Answer.objects.get(response=response, question__key="comments").text == "More bins, please."
    assert Answer.objects.get(response=response, question__key="postcode").text == "M32 0TH"
    # About you answers are stored apart, as the web journey stores them.
    profile = EqualityProfile.objects.get(response=response)
    assert (profile.sex, profile.age) == ("female", 40)


def test_a_retry_returns_the_first_response_and_stores_nothing_more(demo):
    client, key = APIClient(), str(uuid.uuid4())
    first = submit(client, demo.slug, {"answers": WEEKLY_VISITOR}, key=key)
    again = submit(client, demo.slug, {"answers": WEEKLY_VISITOR}, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Response.objects.count() == 1


def test_the_same_key_with_different_answers_is_refused(demo):
    client, key = APIClient(), str(uuid.uuid4())
    submit(client, demo.slug, {"answers": WEEKLY_VISITOR}, key=key)
    other = submit(client, demo.slug, {"answers": {**WEEKLY_VISITOR, "comments": "Something else"}}, key=key)
    assert other.status_code == 422
    assert "different submission" in errors_by_field(other.json())["Idempotency-Key"][0]
    assert Response.objects.count() == 1


def test_a_submission_without_an_idempotency_key_is_refused_naming_the_header(demo):
    reply = submit(APIClient(), demo.slug, {"answers": WEEKLY_VISITOR})
    assert reply.status_code == 400
    assert errors_by_field(reply.json()) == {
        "Idempotency-Key": ["Send an Idempotency-Key header: a value unique to this submission."]
    }
    assert not Response.objects.exists()


def test_answers_are_checked_as_on_the_web_and_nothing_is_stored(demo):
    answers = {**WEEKLY_VISITOR, "walk_minutes": "ten", "postcode": "not a postcode", "nonsense": "x"}
    del answers["visit_frequency"]  # required
    reply = submit(APIClient(), demo.slug, {"answers": answers}, key="k1")
    assert reply.status_code == 400
    errors = errors_by_field(reply.json())
    assert errors["answers.visit_frequency"] == ["Select how often you visit a park or green space"]
    assert errors["answers.postcode"] == ["Enter a full UK postcode, like M32 0TH"]
    assert errors["answers.walk_minutes"][0].endswith("must be a number, like 12 or 3.5")
    assert errors["answers.nonsense"] == ["There is no question “nonsense” in this survey."]
    assert reply.json()["message"]  # the first error, to print
    assert not Response.objects.exists()


def test_an_answer_of_the_wrong_shape_says_what_was_expected(demo):
    answers = {**WEEKLY_VISITOR, "activities": "walking", "last_visit": "1 May 2026", "facilities": ["good"]}
    errors = errors_by_field(submit(APIClient(), demo.slug, {"answers": answers}, key="k2").json())
    assert errors["answers.activities"] == ["The answer must be a list of options' values"]
    assert errors["answers.last_visit"] == ["A date must be written YYYY-MM-DD, like 2026-03-31"]
    assert errors["answers.facilities"][0].startswith("The answer must be an object")


def test_an_option_that_does_not_exist_is_refused_with_the_webs_message(demo):
    answers = {**WEEKLY_VISITOR, "visit_frequency": "hourly"}
    errors = errors_by_field(submit(APIClient(), demo.slug, {"answers": answers}, key="k3").json())
    assert errors["answers.visit_frequency"] == [
        "Select how often you visit a park or green space from the options shown"
    ]


def test_answers_to_questions_routing_hides_are_not_stored(demo):
    # A resident who never visits is asked what stops them, and not which park they visit most.
    answers = {
        "visit_frequency": "never",
        "barriers": ["too_far"],
        "main_park": "longford_park",
        "plant_trees": "agree",
        "meadows": "disagree",
        "updates": "no",
    }
    reply = submit(APIClient(), demo.slug, {"answers": answers}, key="k4")
    assert reply.status_code == 201, reply.json()
    stored = set(Answer.objects.values_list("question__key", flat=True))
    assert {"visit_frequency", "barriers"} <= stored
    assert "main_park" not in stored


def test_a_closed_survey_refuses_new_submissions_but_a_retry_still_gets_its_response(demo):
    client = APIClient()
    first = submit(client, demo.slug, {"answers": WEEKLY_VISITOR}, key="before")
    Survey.objects.filter(pk=demo.pk).update(status=Survey.Status.CLOSED)
    assert submit(client, demo.slug, {"answers": WEEKLY_VISITOR}, key="before").json() == first.json()
    late = submit(client, demo.slug, {"answers": WEEKLY_VISITOR}, key="after")
    assert late.status_code == 409
    assert late.json()["message"] == "This survey is no longer accepting responses."
    assert Response.objects.count() == 1


def test_a_draft_survey_cannot_be_answered(demo):
    Survey.objects.filter(pk=demo.pk).update(status=Survey.Status.DRAFT)
    reply = submit(APIClient(), demo.slug, {"answers": WEEKLY_VISITOR}, key="k5")
    assert reply.status_code == 404
    assert reply.json()["errors"] == [{"field": None, "message": reply.json()["message"]}]


def test_anonymous_submissions_are_throttled_per_address_whatever_x_forwarded_for_says(demo, monkeypatch):
    monkeypatch.setattr(AnonymousSubmissions, "THROTTLE_RATES", {"anonymous_submissions": "3/hour"})
    client = APIClient()
    codes = [
        submit(
            client, demo.slug, {"answers": WEEKLY_VISITOR}, key=f"t{i}", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        ).status_code
        for i in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    assert Response.objects.count() == 3


def test_partners_with_a_token_are_not_throttled_and_their_keys_are_their_own(demo, staff):
    partner = staff.client("officer")
    mine = submit(partner, demo.slug, {"answers": WEEKLY_VISITOR}, key="shared-key")
    anyone = submit(APIClient(), demo.slug, {"answers": WEEKLY_VISITOR}, key="shared-key")
    assert (mine.status_code, anyone.status_code) == (201, 201)
    assert mine.json()["reference"] != anyone.json()["reference"]


@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_the_same_moment_store_one_response(demo):
    barrier = threading.Barrier(2)
    replies: list = []

    def send() -> None:
        try:
            barrier.wait()
            replies.append(submit(APIClient(), demo.slug, {"answers": WEEKLY_VISITOR}, key="same-moment"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in replies) == [200, 201]
    assert replies[0].json()["reference"] == replies[1].json()["reference"]
    assert Response.objects.count() == 1


def test_prefer_not_to_say_is_refused_where_the_question_does_not_offer_it(demo):
    # walk_minutes has no "Prefer not to say" box on the web page: the API refuses it instead of dropping the answer.
    answers = {**WEEKLY_VISITOR, "walk_minutes": "prefer_not_to_say"}
    reply = submit(APIClient(), demo.slug, {"answers": answers}, key="pnts")
    assert reply.status_code == 400
    assert errors_by_field(reply.json()) == {
        "answers.walk_minutes": ["“Prefer not to say” is not offered for this question."]
    }
    assert not Response.objects.exists()
    # Where it is offered, it is kept.
    Question.objects.filter(page__survey=demo, key="walk_minutes").update(allow_prefer_not_to_say=True)
    kept = submit(APIClient(), demo.slug, {"answers": answers}, key="pnts2")
    assert kept.status_code == 201, kept.json()
    assert Answer.objects.get(question__key="walk_minutes").text == "prefer_not_to_say"


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"visit_frequency": "weekly"}},  # incomplete
        {"answers": {**WEEKLY_VISITOR, "walk_minutes": "ten", "nonsense": "x"}},  # wrong
        {"answers": "not an object", "channel": "carrier pigeon"},  # malformed
    ],
)
def test_a_closed_survey_says_so_first_whatever_the_answers(demo, body):
    Survey.objects.filter(pk=demo.pk).update(status=Survey.Status.CLOSED)
    reply = submit(APIClient(), demo.slug, body, key="late")
    assert reply.status_code == 409
    assert reply.json()["message"] == "This survey is no longer accepting responses."
    assert not Response.objects.exists()


def test_a_submission_with_a_field_the_api_does_not_know_is_refused(demo):
    reply = submit(APIClient(), demo.slug, {"answers": WEEKLY_VISITOR, "chanel": "paper"}, key="typo")
    assert reply.status_code == 400
    assert list(errors_by_field(reply.json())) == ["chanel"]
    assert not Response.objects.exists()
