"""Officers key in paper, phone, event and partner responses through the survey's own questions,
routing and checks, marked with the channel and who keyed them in; a paper form is entered once."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from engagement.models import Event, ResponseSource
from surveys.equality.selectors import ProfileFilter, equality_counts
from surveys.equality.services import equality_section_add
from surveys.exports.columns import export_columns
from surveys.exports.rows import export_rows
from surveys.models import Answer, EqualityProfile, Page, Response, Survey
from tests.factories import QuestionFactory, TeamFactory, staff_member, survey_with_routing

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = survey_with_routing(team=TeamFactory(name="Parks"), title="Parks survey")
    third = Page.objects.create(survey=survey, position=3, title="Your ideas")
    QuestionFactory(page=third, position=1, key="visits", text="How many visits a month?", type="number")
    equality_section_add(survey=survey, keys=["sex"])
    return survey


@pytest.fixture
def officer(client):
    user = staff_member("officer")
    client.force_login(user)
    return user


def url(survey) -> str:
    return f"/officers/surveys/{survey.pk}/responses/enter/"


def key_in(client, survey, **fields):
    today = timezone.localdate()
    data = {"source-channel": "paper", "source-paper_reference": "P001", "submission_key": fields.pop("key", "")}
    data |= {"source-received_on_0": today.day, "source-received_on_1": today.month, "source-received_on_2": today.year}
    data.update(fields)
    return client.post(url(survey), data)


def test_the_entry_page_shows_every_question_of_the_survey(client, survey, officer):
    page = client.get(url(survey)).content.decode()
    for text in ["Do you visit parks?", "Which park?", "How many visits a month?", "What is your sex?"]:
        assert text in page
    assert "Paper form number" in page


def test_a_paper_response_follows_the_routing_and_is_marked_with_who_keyed_it(client, survey, officer):
    # The resident answered No, so the form told them to skip "Which park?"; they answered it anyway.
    response = key_in(client, survey, **{"1-visit": "no", "2-which": "Walton Park", "3-visits": "4"})
    assert response.status_code == 302
    assert response["Location"] == url(survey) + "?channel=paper"
    stored = Response.objects.get(survey=survey)
    assert stored.channel == "paper"
    assert sorted(Answer.objects.filter(response=stored).values_list("question__key", flat=True)) == ["visit", "visits"]
    source = ResponseSource.objects.get(response=stored)
    assert (source.paper_reference, source.keyed_by, source.event) == ("P001", officer, None)
    assert AuditEntry.objects.filter(action=AuditAction.RESPONSE_KEYED_IN, object_id=str(stored.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert f"Response {stored.reference} (paper form P001) has been saved." in page
    assert "Answers to 1 question the form said to skip: not stored." in page
    assert 'value="paper" checked' in page  # the next form is ready, on the same channel
    detail = client.get(f"/officers/responses/{stored.pk}/").content.decode()
    assert "Paper form P001. Keyed in by officer on" in detail


def test_answers_are_checked_as_residents_answers_are_and_nothing_is_stored_on_error(client, survey, officer):
    response = key_in(client, survey, **{"1-visit": "yes", "2-which": "", "3-visits": "lots"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Key in a response" in page
    # The error summary links each message to its field, worded as residents see it online.
    assert '<a href="#id_2-which">Enter which park</a>' in page
    assert "must be a number, like 12 or 3.5</a>" in page
    assert 'value="lots"' in page  # what was typed stays, to be corrected
    assert not Response.objects.exists()
    # Answered No, "Which park?" is not asked, so leaving it blank is no error.
    assert key_in(client, survey, **{"1-visit": "no", "2-which": ""}).status_code == 302


def test_a_paper_form_number_cannot_be_entered_twice(client, survey, officer):
    key_in(client, survey, **{"1-visit": "no"})
    first = Response.objects.get()
    response = key_in(client, survey, **{"1-visit": "yes", "2-which": "Walton", "source-paper_reference": " p001 "})
    page = response.content.decode()
    assert f"Paper form P001 has already been entered, as response {first.reference}" in page
    assert Response.objects.count() == 1


def test_the_same_entry_sent_twice_is_stored_once(client, survey, officer):
    key_in(client, survey, key="entry-1", **{"1-visit": "no", "source-paper_reference": "P7"})
    key_in(client, survey, key="entry-1", **{"1-visit": "no", "source-paper_reference": "P7"})
    assert Response.objects.count() == 1


def test_event_and_partner_responses_say_which(client, survey, officer):
    now = timezone.now()
    event = Event.objects.create(
        survey=survey, title="Drop-in", starts_at=now, ends_at=now + dt.timedelta(hours=2), place="Library"
    )
    page = key_in(client, survey, **{"source-channel": "event", "1-visit": "no"}).content.decode()
    assert "Select the event the response was given at" in page
    key_in(client, survey, **{"source-channel": "event", "source-event": event.pk, "1-visit": "no"})
    key_in(client, survey, **{"source-channel": "partner", "1-visit": "no"})
    key_in(client, survey, **{"source-channel": "partner", "source-partner": "Age UK Trafford", "1-visit": "no"})
    key_in(client, survey, **{"source-channel": "phone", "1-visit": "no"})
    sources = {s.response.channel: s for s in ResponseSource.objects.select_related("response")}
    assert set(sources) == {"event", "partner", "phone"}
    assert sources["event"].event == event and sources["partner"].partner == "Age UK Trafford"
    assert sources["phone"].paper_reference == ""


def test_about_you_answers_keyed_in_are_stored_apart_with_the_channel(client, survey, officer):
    about_you = Page.objects.get(survey=survey, section="equality")
    key_in(client, survey, **{"1-visit": "no", f"{about_you.position}-about_you_sex": "female"})
    profile = EqualityProfile.objects.get()
    assert (profile.sex, profile.channel) == ("female", "paper")
    key_in(client, survey, **{"1-visit": "no", "source-paper_reference": "P2", "source-about_you_skipped": "on"})
    assert EqualityProfile.objects.filter(section_skipped=True).count() == 1


def test_paper_forms_arriving_after_closing_can_still_be_keyed_in_but_not_before_publishing(client, survey, officer):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, closes_at=timezone.now())
    assert key_in(client, survey, **{"1-visit": "no"}).status_code == 302
    assert Response.objects.count() == 1
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.DRAFT)
    assert client.get(url(survey)).status_code == 302
    assert key_in(client, survey, **{"1-visit": "no", "source-paper_reference": "P9"}).status_code == 302
    assert Response.objects.count() == 1


def test_a_viewer_cannot_key_in_responses(client, survey):
    client.force_login(staff_member("viewer", role="Viewer"))
    assert key_in(client, survey, **{"1-visit": "no"}).status_code == 403
    assert not Response.objects.exists()


def _received(day: dt.date) -> dict[str, str]:
    return {
        "source-received_on_0": str(day.day),
        "source-received_on_1": str(day.month),
        "source-received_on_2": str(day.year),
    }


def test_the_date_a_form_was_received_is_its_submission_date_in_reports_and_exports(client, survey, officer):
    today = timezone.localdate()
    opened = today - dt.timedelta(days=30)
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(9))), closes_at=timezone.now()
    )
    form = client.get(url(survey)).content.decode()
    assert "Date received" in form
    assert (
        f'name="source-received_on_0" type="text" inputmode="numeric" value="{today.day}"' in form
    )  # today, unless changed

    arrived = today - dt.timedelta(days=12)
    about_you = Page.objects.get(survey=survey, section="equality")
    answers = {"1-visit": "no", f"{about_you.position}-about_you_sex": "female"}
    response = key_in(client, survey, **answers, **_received(arrived))
    assert response.status_code == 302
    stored = Response.objects.get()
    assert timezone.localdate(stored.submitted_at) == arrived
    assert timezone.localdate(EqualityProfile.objects.get().submitted_at) == arrived
    # The next form keeps the date, for a pile of post that came the same day.
    assert (
        f'name="source-received_on_0" type="text" inputmode="numeric" value="{arrived.day}"'
        in client.get(response["Location"]).content.decode()
    )

    # Date filters of the report count it on the day it was received, not the day it was keyed in.
    def counted(first: dt.date, last: dt.date) -> int:
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
        where = ProfileFilter(survey.pk, submitted_from=start, submitted_to=end)
        (counts,) = equality_counts(where=where, groupings=[("sex",)])
        return int(counts["respondents"].sum())

    assert counted(arrived, arrived) == 1 and counted(arrived + dt.timedelta(days=1), today) == 0
    # The export's submission time is that day too.
    columns = [c for c in export_columns(survey=survey, with_equality=False) if c.name == "submitted_at"]
    ((submitted,),) = list(export_rows(survey=survey, columns=columns))
    assert timezone.localtime(submitted).date() == arrived
    listed = client.get(f"/officers/surveys/{survey.pk}/responses/").content.decode()
    assert f"{arrived.day} {arrived:%b %Y}, received" in listed  # a day, not a made-up time
    listed = client.get(f"/officers/surveys/{survey.pk}/responses/").content.decode()
    assert f"{arrived.day} {arrived:%b %Y}, received" in listed  # a day, not a made-up time
    detail = client.get(f"/officers/responses/{stored.pk}/").content.decode()
    assert (
        f"Paper form, received {arrived.day} {arrived:%B %Y}" in detail
        and f"Keyed in by officer on {today.day}" in detail
    )


def test_a_received_date_in_the_future_or_before_opening_is_refused(client, survey, officer):
    today = timezone.localdate()
    opened = today - dt.timedelta(days=30)
    Survey.objects.filter(pk=survey.pk).update(opens_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(9))))
    page = key_in(client, survey, **{"1-visit": "no"}, **_received(today + dt.timedelta(days=1))).content.decode()
    assert "Date received must be today or in the past" in page
    page = key_in(client, survey, **{"1-visit": "no"}, **_received(opened - dt.timedelta(days=1))).content.decode()
    assert f"Date received must be on or after {opened.day} {opened:%B %Y}, when the consultation opened" in page
    page = key_in(client, survey, **{"1-visit": "no", "source-received_on_0": ""}).content.decode()
    assert "Enter the date received" in page or "Date received must include a day" in page
    assert not Response.objects.exists()
    assert key_in(client, survey, **{"1-visit": "no"}, **_received(opened)).status_code == 302


def test_a_keyed_in_response_names_the_activity_it_came_through_and_a_partner_from_the_directory(
    client, survey, officer
):
    from plans.models import Activity, Attribution, Partner

    activity = Activity.objects.create(survey=survey, kind="partner_mailing", title="Age UK mailing")
    Activity.objects.create(survey=survey, kind="event", title="Another consultation's?")
    partner = Partner.objects.create(name="Age UK Trafford")
    page = client.get(url(survey)).content.decode()
    assert "Came through activity" in page and "Age UK mailing (partner mailing)" in page
    assert f'<option value="{partner.pk}">Age UK Trafford</option>' in page
    response = key_in(
        client,
        survey,
        **{
            "source-channel": "partner",
            "source-paper_reference": "",
            "source-partner_listed": str(partner.pk),
            "source-activity": str(activity.pk),
            "1-visit": "no",
        },
    )
    assert response.status_code == 302
    stored = Response.objects.get(survey=survey)
    assert ResponseSource.objects.get(response=stored).partner == "Age UK Trafford"
    attribution = Attribution.objects.get(response=stored)
    assert (attribution.activity, attribution.how) == (activity, "named")
    both = key_in(
        client,
        survey,
        **{
            "source-channel": "partner",
            "source-partner_listed": str(partner.pk),
            "source-partner": "Someone else",
            "1-visit": "no",
        },
    )
    assert "Select the organisation from the directory or type its name, not both" in both.content.decode()
    typed = key_in(client, survey, **{"source-channel": "partner", "source-partner": "Scouts", "1-visit": "no"})
    assert typed.status_code == 302
    assert ResponseSource.objects.filter(partner="Scouts").exists()
    assert Attribution.objects.count() == 1
