"""Surveys through the API: the public read of open ones, and officers' create and edit with the web builder's
refusals. Each role and team sees through the API what it sees on screen."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEntry
from surveys.models import Question, Survey
from tests.api.conftest import errors_by_field
from tests.factories import SurveyFactory, TeamFactory

pytestmark = pytest.mark.django_db


# Public read ------------------------------------------------------------------------------------


def test_anyone_lists_the_open_consultations_only(demo):
    SurveyFactory(slug="a-draft", status=Survey.Status.DRAFT)
    SurveyFactory(slug="a-closed-one", status=Survey.Status.CLOSED)
    reply = APIClient().get("/api/v1/public/surveys/")
    assert reply.status_code == 200
    assert [s["slug"] for s in reply.json()] == [demo.slug]


def test_an_open_consultation_gives_its_pages_questions_choices_and_routing(demo):
    body = APIClient().get(f"/api/v1/public/surveys/{demo.slug}/").json()
    questions = {q["key"]: q for page in body["pages"] for q in page["questions"]}
    frequency = questions["visit_frequency"]
    assert frequency["type"] == "single_choice" and frequency["required"] is True
    assert ("never", "Never") in [(o["value"], o["label"]) for o in frequency["options"]]
    barriers_page = next(p for p in body["pages"] if p["questions"] and p["questions"][0]["key"] == "barriers")
    assert barriers_page["shown_when"] == {"question_key": "visit_frequency", "operator": "equals", "values": ["never"]}
    # "Other (please specify)" is offered as on the web, with its text box.
    assert {"value": "other", "label": "Other (please specify)", "group": "", "write_in": True, "is_other": True} in (
        questions["barriers"]["options"]
    )
    assert [r["value"] for r in questions["facilities"]["rows"]][:2] == ["paths", "toilets"]
    assert questions["about_you_sex"]["why_we_ask"]


def test_a_draft_is_not_public(demo):
    draft = SurveyFactory(slug="not-yet", status=Survey.Status.DRAFT)
    assert APIClient().get(f"/api/v1/public/surveys/{draft.slug}/").status_code == 404


# Reading as staff -------------------------------------------------------------------------------


def test_staff_list_their_own_teams_surveys_and_administrators_every_teams(staff, demo):
    SurveyFactory(slug="planning-one", team=TeamFactory(name="Planning"), status=Survey.Status.DRAFT)

    def slugs(name: str) -> set[str]:
        return {s["slug"] for s in staff.client(name).get("/api/v1/surveys/").json()["results"]}

    assert slugs("officer") == slugs("viewer") == {demo.slug}
    assert slugs("planning") == {"planning-one"}
    assert slugs("admin") == {demo.slug, "planning-one"}


def test_another_teams_survey_is_refused_with_the_policys_reason(staff, demo):
    reply = staff.client("planning").get(f"/api/v1/surveys/{demo.pk}/")
    assert reply.status_code == 403
    assert reply.json()["message"] == "This belongs to another team. Ask an administrator if you need to work on it."


def test_nobody_signed_out_reads_staff_endpoints(demo):
    reply = APIClient().get(f"/api/v1/surveys/{demo.pk}/")
    assert reply.status_code == 401
    assert reply["WWW-Authenticate"] == "Token"
    assert reply.json()["errors"][0]["field"] is None


def test_session_authentication_works_for_the_browser(staff, demo, client):
    client.force_login(staff.officer)
    assert client.get(f"/api/v1/surveys/{demo.pk}/").status_code == 200


def test_an_officer_reads_a_survey_with_every_page_and_what_stops_it_going_live(staff, demo):
    body = staff.client("officer").get(f"/api/v1/surveys/{demo.pk}/").json()
    assert body["team"]["name"] == "Parks"
    assert body["problems"] == []
    assert {p["section"] for p in body["pages"]} == {"consultation", "equality_intro", "equality"}


def test_surveys_filter_by_status(staff, demo):
    SurveyFactory(slug="parks-draft", team=demo.team, status=Survey.Status.DRAFT)
    reply = staff.client("officer").get("/api/v1/surveys/?status=draft")
    assert [s["slug"] for s in reply.json()["results"]] == ["parks-draft"]
    bad = staff.client("officer").get("/api/v1/surveys/?status=sideways")
    assert bad.status_code == 400
    assert errors_by_field(bad.json())["status"][0].startswith("Select a valid choice")


# Creating and changing --------------------------------------------------------------------------


def new_survey(client, **overrides):
    body = {"title": "Library opening hours", "slug": "library-hours", **overrides}
    return client.post("/api/v1/surveys/", body, format="json")


def test_an_officer_creates_a_draft_in_their_team_and_it_is_recorded(staff, db):
    reply = new_survey(staff.client("officer"))
    assert reply.status_code == 201, reply.json()
    survey = Survey.objects.get(slug="library-hours")
    assert (survey.status, survey.team.name) == ("draft", "Parks")
    assert [p["title"] for p in reply.json()["pages"]] == ["Library opening hours"]
    entry = AuditEntry.objects.get(action=AuditAction.SURVEY_CREATED)
    assert (entry.actor_name, entry.via) == ("officer", "api")


@pytest.mark.parametrize("name", ["analyst", "viewer"])
def test_analysts_and_viewers_cannot_create_surveys(staff, name):
    reply = new_survey(staff.client(name))
    assert reply.status_code == 403
    assert not Survey.objects.exists()


def test_creating_is_checked_as_the_web_form_checks_it(staff, demo):
    reply = new_survey(staff.client("officer"), title="", slug="Not A Slug")
    errors = errors_by_field(reply.json())
    assert reply.status_code == 400
    assert errors["title"] == ["Enter the survey's title"]
    assert errors["slug"] == [
        "The web address can only have lower-case letters, numbers and single hyphens between them"
    ]
    taken = new_survey(staff.client("officer"), slug=demo.slug)
    assert errors_by_field(taken.json()) == {"slug": ["Another survey already uses this web address. Choose another."]}
    dates = new_survey(staff.client("officer"), opens_on="2027-02-01", closes_on="2027-01-01")
    assert errors_by_field(dates.json()) == {
        "closes_on": ["The closing date must be the same as or after the opening date"]
    }
    assert Survey.objects.count() == 1


def test_an_officer_cannot_create_a_survey_for_another_team(staff, db):
    planning = TeamFactory(name="Planning")
    reply = new_survey(staff.client("officer"), team=planning.pk)
    assert reply.status_code == 400
    assert "team" in errors_by_field(reply.json())
    assert not Survey.objects.exists()


def test_an_open_surveys_address_cannot_change(staff, demo):
    reply = staff.client("officer").patch(f"/api/v1/surveys/{demo.pk}/", {"slug": "new-address"}, format="json")
    assert errors_by_field(reply.json()) == {
        "slug": ["The web address cannot change once a survey has been published: residents already have the link."]
    }
    changed = staff.client("officer").patch(f"/api/v1/surveys/{demo.pk}/", {"title": "Our parks"}, format="json")
    assert changed.status_code == 200
    demo.refresh_from_db()
    assert (demo.title, demo.slug) == ("Our parks", "future-of-our-parks")


def test_another_teams_officer_cannot_change_it(staff, demo):
    reply = staff.client("planning").patch(f"/api/v1/surveys/{demo.pk}/", {"title": "Mine now"}, format="json")
    assert reply.status_code == 403
    demo.refresh_from_db()
    assert demo.title != "Mine now"


def test_publishing_is_refused_with_every_reason_while_residents_could_not_finish(staff, db):
    client = staff.client("officer")
    survey_id = new_survey(client).json()["id"]
    reply = client.post(f"/api/v1/surveys/{survey_id}/publish/")
    assert reply.status_code == 400
    assert reply.json()["errors"] and all(e["field"] is None for e in reply.json()["errors"])
    assert Survey.objects.get(pk=survey_id).status == "draft"


def test_building_a_survey_and_publishing_it(staff, db):
    client = staff.client("officer")
    created = new_survey(client, privacy_notice="The council keeps answers for a year.", closes_on="2027-03-31").json()
    page_id = created["pages"][0]["id"]
    url = f"/api/v1/surveys/{created['id']}"
    question = client.post(
        f"{url}/pages/{page_id}/questions/",
        {"type": "single_choice", "text": "Which day suits you?", "required": True, "choices": ["Monday", "Saturday"]},
        format="json",
    )
    assert question.status_code == 201, question.json()
    published = client.post(f"{url}/publish/")
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "open"
    assert AuditEntry.objects.filter(action=AuditAction.SURVEY_PUBLISHED, via="api").count() == 1
    # Residents can now answer it through the public API.
    options = APIClient().get("/api/v1/public/surveys/library-hours/").json()["pages"][0]["questions"][0]["options"]
    assert [o["label"] for o in options] == ["Monday", "Saturday"]


def test_a_question_without_a_type_or_text_is_refused_as_on_the_web(staff, demo):
    page_id = demo.pages.order_by("position").first().pk
    url = f"/api/v1/surveys/{demo.pk}/pages/{page_id}/questions/"
    assert errors_by_field(staff.client("officer").post(url, {"text": "Why?"}, format="json").json()) == {
        "type": ["Select the kind of question"]
    }
    reply = staff.client("officer").post(url, {"type": "short_text"}, format="json")
    assert errors_by_field(reply.json()) == {"text": ["Enter the question"]}


def test_rewording_an_answered_question_needs_confirming_and_is_recorded(staff, demo):
    from tests.factories import ResponseFactory

    question = Question.objects.get(page__survey=demo, key="comments")
    response = ResponseFactory(survey=demo)
    response.answers.create(question=question, text="More bins")
    url = f"/api/v1/surveys/{demo.pk}/questions/{question.pk}/"
    refused = staff.client("officer").patch(url, {"text": "Anything else?"}, format="json")
    assert refused.status_code == 400
    assert list(errors_by_field(refused.json())) == ["confirm_reword"]
    confirmed = staff.client("officer").patch(url, {"text": "Anything else?", "confirm_reword": True}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    assert AuditEntry.objects.filter(action=AuditAction.QUESTION_REWORDED, via="api").count() == 1
    deleted = staff.client("officer").delete(url)
    assert deleted.status_code == 400
    assert "cannot be deleted" in deleted.json()["message"]


def test_another_surveys_question_cannot_be_reached_through_this_survey(staff, demo):
    other = SurveyFactory(slug="other-parks", team=demo.team, status=Survey.Status.DRAFT)
    page = other.pages.create(position=1, title="Page")
    question = Question.objects.create(page=page, position=1, key="q", text="Q?", type="short_text")
    reply = staff.client("officer").patch(
        f"/api/v1/surveys/{demo.pk}/questions/{question.pk}/", {"text": "Changed"}, format="json"
    )
    assert reply.status_code == 404
    question.refresh_from_db()
    assert question.text == "Q?"


def test_choices_are_added_reworded_and_moved(staff, demo):
    question = Question.objects.get(page__survey=demo, key="visit_frequency")
    url = f"/api/v1/surveys/{demo.pk}/questions/{question.pk}/choices/"
    added = staff.client("officer").post(url, {"label": "Every day"}, format="json")
    assert added.status_code == 201
    choice = question.choices.get(label="Every day")
    moved = staff.client("officer").post(f"{url}{choice.pk}/move/", {"direction": "up"}, format="json")
    assert moved.status_code == 200
    assert list(question.choices.order_by("position").values_list("label", flat=True))[-2] == "Every day"
    again = staff.client("officer").post(url, {"label": "every day"}, format="json")
    assert errors_by_field(again.json()) == {"label": ["“every day” is already there."]}


def test_a_draft_nobody_answered_is_deleted_and_an_open_survey_is_not(staff, demo):
    client = staff.client("officer")
    draft_id = new_survey(client).json()["id"]
    assert client.delete(f"/api/v1/surveys/{draft_id}/").status_code == 204
    assert not Survey.objects.filter(pk=draft_id).exists()
    refused = client.delete(f"/api/v1/surveys/{demo.pk}/")
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("Only a draft can be deleted")


def test_closing_and_duplicating(staff, demo):
    client = staff.client("officer")
    copy = client.post(f"/api/v1/surveys/{demo.pk}/duplicate/")
    assert copy.status_code == 201
    assert copy.json()["status"] == "draft" and copy.json()["slug"] == "future-of-our-parks-copy"
    closed = client.post(f"/api/v1/surveys/{demo.pk}/close/")
    assert closed.json()["status"] == "closed"
    assert AuditEntry.objects.filter(action=AuditAction.SURVEY_CLOSED, via="api").exists()


def test_publishing_or_closing_a_closed_survey_is_refused_as_the_builder_refuses_it(staff, demo):
    client = staff.client("officer")
    assert client.post(f"/api/v1/surveys/{demo.pk}/close/").status_code == 200
    demo.refresh_from_db()
    closed_at, entries = demo.closes_at, AuditEntry.objects.count()
    again = client.post(f"/api/v1/surveys/{demo.pk}/close/")
    assert again.status_code == 400
    assert again.json()["message"] == "Only an open survey can be closed."
    publish = client.post(f"/api/v1/surveys/{demo.pk}/publish/")
    assert publish.status_code == 400
    assert publish.json()["message"] == "This survey has already been published."
    demo.refresh_from_db()
    assert (demo.status, demo.closes_at, AuditEntry.objects.count()) == (Survey.Status.CLOSED, closed_at, entries)
    # Nor is a draft closed.
    draft = client.post(f"/api/v1/surveys/{demo.pk}/duplicate/").json()["id"]
    refused = client.post(f"/api/v1/surveys/{draft}/close/")
    assert refused.status_code == 400 and refused.json()["message"] == "Only an open survey can be closed."


def test_unknown_fields_are_refused_by_name_and_the_dates_read_as_they_are_sent(staff, demo):
    client = staff.client("officer")
    before = client.get(f"/api/v1/surveys/{demo.pk}/").json()
    sent = {"opens_at": "2027-01-01T00:00:00Z", "closes_at": "2027-02-01T00:00:00Z", "title": "New title"}
    reply = client.patch(f"/api/v1/surveys/{demo.pk}/", sent, format="json")
    assert reply.status_code == 400
    errors = errors_by_field(reply.json())
    assert set(errors) == {"opens_at", "closes_at"}
    assert errors["opens_at"][0].startswith("“opens_at” cannot be sent here. You can send: title, slug,")
    assert "closes_on" in errors["closes_at"][0]
    after = client.get(f"/api/v1/surveys/{demo.pk}/").json()
    assert after["title"] == before["title"] and after["closes_at"] == before["closes_at"]
    # The days a change sends are in what the API gives back, so a script can send back what it read.
    changed = client.patch(f"/api/v1/surveys/{demo.pk}/", {"closes_on": "2099-03-31"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["closes_on"] == "2099-03-31" and changed.json()["closes_at"].startswith("2099-03-31T23:59")
    listed = {s["id"]: s for s in client.get("/api/v1/surveys/").json()["results"]}
    assert listed[str(demo.pk)]["closes_on"] == "2099-03-31"


def test_unknown_fields_are_refused_on_pages_and_questions_too(staff, demo):
    client = staff.client("officer")
    page = client.post(f"/api/v1/surveys/{demo.pk}/pages/", {"title": "More", "heading": "x"}, format="json")
    assert page.status_code == 400 and set(errors_by_field(page.json())) == {"heading"}
