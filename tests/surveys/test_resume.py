"""Save and come back later, as residents (and whoever finds their link) meet it through the test client.

A resume link works once, expires, never puts the token in a later address, keeps an age instead of a
date of birth, and on its own does not show About you answers: those need the reference shown at saving.
"""

import datetime as dt
import re

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from surveys.models import SavedJourney, Survey
from surveys.saved_journeys import MAX_REFERENCE_ATTEMPTS
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident, text

pytestmark = pytest.mark.django_db


def save(resident: Resident, step: str, fields: dict) -> tuple[str, str]:
    """Save on a page; returns the resume link and the reference the saved page shows."""
    response = resident.answer(step, fields, action="save")
    assert response.status_code == 302 and response["Location"] == f"/s/{resident.survey.slug}/saved/"
    page = text(resident.client.get(response["Location"]))
    link = re.search(r'id="resume-link" href="([^"]+)"', page).group(1)
    reference = re.search(r'id="reference">([A-Z0-9-]+)<', page).group(1)
    return link.replace("&amp;", "&"), reference


def answer_about_you(resident: Resident, *, religion: str = "muslim") -> None:
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")
    resident.answer("10", {"about_you_date_of_birth_day": "2", "about_you_date_of_birth_month": "5",
                           "about_you_date_of_birth_year": "1980"})  # fmt: skip
    for step in ("11", "12", "13", "14", "15", "16"):
        resident.answer(step)
    resident.answer("17", {"about_you_religion": religion})


def open_link(link: str) -> tuple[Client, object]:
    """Another browser opens the link: it is swapped for a note in the session at once."""
    other = Client()
    response = other.get(link)
    return other, response


def test_resume_link_works_once_and_its_token_never_appears_in_a_later_address(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    link, _ = save(resident, "3", {"main_park": "stamford_park"})
    assert re.fullmatch(rf"http://testserver/s/{resident.survey.slug}/resume/\?token=[\w-]{{40,}}", link)
    token = link.split("token=")[1]
    stored = SavedJourney.objects.get()
    assert token not in stored.token_hash and token not in str(stored.data)

    other, opened = open_link(link)
    assert opened.status_code == 302 and opened["Location"] == f"/s/{resident.survey.slug}/resume/"
    confirm = other.get(opened["Location"])
    assert "Continue your response" in text(confirm) and token not in text(confirm)
    assert "stamford_park" not in text(confirm)  # nothing shown before the resident carries on
    assert SavedJourney.objects.exists()  # opening the link (a link checker, a preview) does not use it up
    resumed = other.post(opened["Location"], {"action": "continue"}, follow=True)
    assert resumed.redirect_chain[-1][0] == Resident(other, resident.survey).url("3")
    assert 'value="stamford_park" selected' in text(resumed)
    assert all(token not in url for url, _ in resumed.redirect_chain)

    # Used up: the same link again, anywhere, finds nothing.
    _, again = open_link(link)
    assert again.status_code == 404 and "This link has expired or is not valid" in text(again)
    assert "the link has already been used" in text(again)

    # Saving again gives a new link; the one before it stops working.
    new_link, _ = save(Resident(other, resident.survey), "3", {"main_park": "longford_park"})
    assert new_link != link
    assert open_link(new_link)[1].status_code == 302
    assert SavedJourney.objects.count() == 1


def test_saving_twice_in_one_session_replaces_the_link(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    first, reference = save(resident, "3", {"main_park": "stamford_park"})
    second, same_reference = save(resident, "3", {"main_park": "longford_park"})
    assert first != second and reference == same_reference
    assert open_link(first)[1].status_code == 404
    assert open_link(second)[1].status_code == 302


def test_an_expired_or_closed_link_shows_nothing(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    link, _ = save(resident, "3", {"main_park": "stamford_park"})
    SavedJourney.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _, expired = open_link(link)
    assert expired.status_code == 404 and "more than 30 days old" in text(expired)

    SavedJourney.objects.update(expires_at=timezone.now() + dt.timedelta(days=1))
    other, opened = open_link(link)
    Survey.objects.filter(pk=resident.survey.pk).update(status=Survey.Status.CLOSED)
    closed = other.get(opened["Location"])
    assert "This consultation has closed" in text(closed) and "stamford_park" not in text(closed)


def test_a_link_opened_long_ago_in_a_shared_browser_must_be_opened_again(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    link, _ = save(resident, "3", {"main_park": "stamford_park"})
    other, opened = open_link(link)
    session = other.session
    session["surveys_resuming"] = {k: [v[0], v[1] - 31 * 60] for k, v in session["surveys_resuming"].items()}
    session.save()
    assert other.get(opened["Location"]).status_code == 404


def test_a_saved_journey_keeps_an_age_never_a_date_of_birth(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")
    link, reference = save(
        resident,
        "10",
        {
            "about_you_date_of_birth_day": "2",
            "about_you_date_of_birth_month": "5",
            "about_you_date_of_birth_year": "1980",
        },
    )
    stored = str(SavedJourney.objects.get().data)
    assert "1980" not in stored and "date_of_birth_day" not in stored and "date_of_birth_year" not in stored
    today = timezone.localdate()
    age = today.year - 1980 - ((today.month, today.day) < (5, 2))
    assert SavedJourney.objects.get().data["step_data"]["10"] == {"10-about_you_date_of_birth__age": [str(age)]}

    other, opened = open_link(link)
    resumed = other.post(opened["Location"], {"action": "continue", "reference": reference}, follow=True)
    page = text(resumed)
    assert re.search(rf'name="10-about_you_date_of_birth__age" type="text" inputmode="numeric" value="{age}"', page)
    assert 'value="1980"' not in page
    # The age alone is a complete answer: the resident can carry on, and routing knows they are over 16.
    carried_on = Resident(other, resident.survey).answer("10", {"about_you_date_of_birth__age": str(age)})
    assert carried_on.status_code == 302 and carried_on["Location"].endswith("/questions/11/")


def test_about_you_answers_need_the_reference_shown_when_saving(resident):
    answer_about_you(resident, religion="muslim")
    link, reference = save(resident, "18", {})

    # Whoever has the link alone (from a shared computer's history, a forwarded email) sees no About you answer.
    other, opened = open_link(link)
    confirm = text(other.get(opened["Location"]))
    assert "Your reference" in confirm and "muslim" not in confirm.lower()
    missing = other.post(opened["Location"], {"action": "continue", "reference": ""})
    assert missing.status_code == 200
    assert "Error: Continue your response" in text(missing)
    assert '<a href="#reference">Enter your reference</a>' in text(missing)
    wrong = other.post(opened["Location"], {"action": "continue", "reference": "AAAA-AAAA"})
    assert "The reference does not match the one shown when you saved your answers" in text(wrong)
    assert SavedJourney.objects.exists()

    without = other.post(opened["Location"], {"action": "without_about_you"}, follow=True)
    carried_on = Resident(other, resident.survey)
    assert without.redirect_chain[-1][0] == carried_on.url("9")  # About you starts again, from its introduction
    for step in ("9", "10", "11", "12", "13", "14", "15", "16"):
        carried_on.answer(step)
    religion_page = other.get(carried_on.url("17"))
    assert religion_page.status_code == 200 and "What is your religion?" in text(religion_page)
    assert "checked" not in text(religion_page)  # the religion saved is not brought back
    assert not SavedJourney.objects.exists()  # used up: the religion answer is gone with it

    # The resident themselves, with the reference, gets everything back.
    answer_about_you(resident, religion="muslim")
    link, reference = save(resident, "18", {})
    own, opened = open_link(link)
    resumed = own.post(opened["Location"], {"action": "continue", "reference": reference.lower()}, follow=True)
    assert resumed.redirect_chain[-1][0] == Resident(own, resident.survey).url("18")
    religion_page = text(own.get(Resident(own, resident.survey).url("17")))
    assert re.search(r'value="muslim"[^>]*checked', religion_page)


def test_too_many_wrong_references_delete_the_about_you_answers(resident):
    answer_about_you(resident, religion="jewish")
    link, reference = save(resident, "18", {})
    other, opened = open_link(link)
    for _ in range(MAX_REFERENCE_ATTEMPTS - 1):
        other.post(opened["Location"], {"action": "continue", "reference": "AAAA-AAAA"})
    last = text(other.post(opened["Location"], {"action": "continue", "reference": "AAAA-AAAA"}))
    assert "so the About you answers you saved have been deleted" in last
    assert "Your reference" not in last
    assert "jewish" not in str(SavedJourney.objects.get().data)
    resumed = other.post(opened["Location"], {"action": "continue"}, follow=True)
    assert resumed.redirect_chain[-1][0] == Resident(other, resident.survey).url("9")


@override_settings(RESUME_ATTEMPTS_PER_ADDRESS_PER_HOUR=2)
def test_references_tried_from_one_address_are_limited(resident):
    answer_about_you(resident)
    link, reference = save(resident, "18", {})
    other, opened = open_link(link)
    for _ in range(2):
        other.post(opened["Location"], {"action": "continue", "reference": "AAAA-AAAA"})
    limited = text(other.post(opened["Location"], {"action": "continue", "reference": reference}))
    assert "Too many references have been tried from your connection" in limited
    assert SavedJourney.objects.exists()
    # Another address is not held up.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    elsewhere.get(link)
    assert elsewhere.post(opened["Location"], {"action": "continue", "reference": reference}).status_code == 302


def test_only_the_page_s_fields_are_saved_each_within_its_limits(resident):
    resident.answer_all({k: v for k, v in WEEKLY_VISITOR_PAGES.items() if k in ("1", "3", "4")})
    data = {
        "5-plant_trees": "strongly_agree",
        "5-meadows": "not-a-choice",
        "5-comments": "x" * 1001,  # over its 1,000-character limit
        "5-junk": "y" * 5000,
        "4-walk_minutes": "another page's field",
        "anything": "else",
        "action": "save",
    }
    refused = resident.client.post(resident.url("5"), data)
    assert refused.status_code == 200
    assert re.search(r"<a href=\"#id_5-comments\">[^<]* must be 1,000 characters or fewer</a>", text(refused))
    assert (
        "Select" not in text(refused).split("There is a problem")[1].split("</ul>")[0]
    )  # only the limit, not "required"
    assert not SavedJourney.objects.exists()

    saved = resident.client.post(resident.url("5"), {**data, "5-comments": "More bins"})
    assert saved.status_code == 302
    stored = SavedJourney.objects.get().data["step_data"]
    assert stored["5"] == {"5-plant_trees": ["strongly_agree"], "5-comments": ["More bins"]}
    assert stored["4"]["4-walk_minutes"] == ["10"]
    assert "junk" not in str(stored) and "anything" not in str(stored)


@override_settings(SAVES_PER_ADDRESS_PER_HOUR=3)
def test_saves_are_rate_limited_per_address(demo_survey):
    for _ in range(3):
        flooder = Resident(Client(), demo_survey)  # a new session each time, as a script would
        assert flooder.answer("1", {"visit_frequency": "weekly"}, action="save").status_code == 302
    refused = Resident(Client(), demo_survey).answer("1", {"visit_frequency": "weekly"}, action="save")
    assert refused.status_code == 429
    assert "Your answers have not been saved for later" in text(refused)
    assert SavedJourney.objects.count() == 3
    # A resident elsewhere can still save.
    elsewhere = Resident(Client(REMOTE_ADDR="203.0.113.9"), demo_survey)
    assert elsewhere.answer("1", {"visit_frequency": "weekly"}, action="save").status_code == 302


def test_resume_link_stops_working_once_the_answers_are_sent(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    link, _ = save(resident, "3", {})
    resident.answer_all({k: v for k, v in WEEKLY_VISITOR_PAGES.items() if k != "1"})
    resident.skip_about_you()
    resident.send()
    assert open_link(link)[1].status_code == 404


def test_the_resume_page_gives_the_saving_time_as_gov_uk_writes_it(resident):
    with override_settings(TIME_ZONE="Europe/London"):
        resident.answer("1", {"visit_frequency": "weekly"})
        link, _ = save(resident, "3", {"main_park": "stamford_park"})
        SavedJourney.objects.update(saved_at=dt.datetime(2026, 11, 3, 21, 3, tzinfo=dt.UTC))
        other, opened = open_link(link)
        page = text(other.get(opened["Location"]))
    assert "You saved your answers on 3 November 2026 at 9:03pm." in page
    assert "p.m." not in page
