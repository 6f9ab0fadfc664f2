"""The resident journey end to end through the Django test client (the browser tests do it in Chromium)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from surveys.models import Answer, EqualityProfile, Response, Survey
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, text

pytestmark = pytest.mark.django_db


def test_start_page_introduces_the_survey_and_its_closing_date(client, demo_survey):
    page = text(client.get(f"/s/{demo_survey.slug}/"))
    assert "Future of our parks and green spaces" in page
    assert "Start now" in page
    assert f"closes on {demo_survey.closes_at.astimezone(timezone.get_current_timezone()):%A %-d %B %Y}" in page


def test_first_page_has_the_question_as_its_heading_progress_and_no_errors(resident):
    response = resident.client.get(resident.url(), follow=True)
    assert response.redirect_chain == [(resident.url("1"), 302)]
    page = text(response)
    assert re.search(r"<h1 class=\"govuk-fieldset__heading\">.*How often do you visit", page)
    assert '<p class="govuk-body-s govuk-!-margin-bottom-2" id="progress">Section 1 of 2: Your views</p>' in page
    assert "<title>How often do you visit" in page
    assert "There is a problem" not in page
    assert f'href="/s/{resident.survey.slug}/" class="govuk-back-link"' in page


def test_errors_are_summarised_linked_and_in_the_title(resident):
    response = resident.answer("1", {})
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error: How often do you visit" in page
    message = "Select how often you visit a park or green space"
    assert f'<a href="#id_1-visit_frequency">{message}</a>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page
    assert 'id="id_1-visit_frequency-error" class="govuk-error-message"' in page
    assert 'id="id_1-visit_frequency"' in page  # the link's target: the first radio


def test_multi_question_page_has_page_heading_and_fieldsets(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    page = text(resident.client.get(resident.url("3")))
    assert '<h1 class="govuk-heading-l">Your local park</h1>' in page
    assert page.count('<fieldset class="govuk-fieldset"') >= 7  # activities, the grid and each of its 5 rows


def progress(response) -> str:
    return re.search(r'id="progress">([^<]*)<', text(response)).group(1)


def test_the_progress_line_does_not_jump_as_routing_changes_and_names_about_you(resident):
    first = progress(resident.client.get(resident.url("1"), follow=True))
    resident.answer("1", {"visit_frequency": "weekly"})  # adds "Your local park"; "never" would add another page
    assert progress(resident.client.get(resident.url("3"))) == first == "Section 1 of 2: Your views"
    resident.answer("1", {"visit_frequency": "never"})
    assert progress(resident.client.get(resident.url("2"))) == first
    resident.answer_all({k: v for k, v in WEEKLY_VISITOR_PAGES.items()})
    assert progress(resident.client.get(resident.url("9"))) == "Section 2 of 2: About you (optional)"
    resident.answer("9")
    about_you = resident.client.get(resident.url("10"))
    assert progress(about_you) == "Section 2 of 2: About you (optional)"
    assert 'value="skip_rest"' in text(about_you) and "Skip the rest of the About you questions" in text(about_you)


def test_routing_shows_the_pages_for_this_resident_only(resident):
    assert resident.answer("1", {"visit_frequency": "never"})["Location"] == resident.url("2")
    assert resident.answer("2", {"barriers": ["too_far"]})["Location"] == resident.url("4")
    # Changing the first answer reroutes: page 3 now, page 2 is no longer reachable.
    assert resident.answer("1", {"visit_frequency": "weekly"})["Location"] == resident.url("3")
    assert resident.client.get(resident.url("2"))["Location"] == resident.url("3")


def test_pages_cannot_be_skipped_by_typing_their_address(resident):
    resident.answer("1", {"visit_frequency": "weekly"})
    assert resident.client.get(resident.url("5"))["Location"] == resident.url("3")
    assert resident.check_page()["Location"] == resident.url("3")


def test_back_link_goes_to_the_previous_page_this_resident_saw(resident):
    resident.answer("1", {"visit_frequency": "never"})
    resident.answer("2", {"barriers": ["too_far"]})
    page = text(resident.client.get(resident.url("4")))
    assert f'<a href="{resident.url("2")}" class="govuk-back-link">Back</a>' in page


def test_complete_journey_check_change_and_send(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    intro = text(resident.client.get(resident.url("9")))
    assert "Skip this section" in intro and "These questions are about you" in intro
    assert resident.answer("9")["Location"] == resident.url("10")
    assert resident.answer("10", {"about_you_date_of_birth__age": "40"})["Location"] == resident.url("11")
    for step in range(11, 24):
        response = resident.answer(str(step), {})
        assert response.status_code == 302, step
    check = resident.check_page()
    page = text(check)
    assert "Check your answers before sending them" in page
    assert "At least once a week" in page
    assert "Other (please specify): Parkrun" in page
    assert "Toilets: Poor" in page
    assert "1 May 2026" in page
    assert '<h2 class="govuk-heading-m">About you</h2>' in page
    assert "Age 40" in page
    # Change goes to the page and then straight back to the check page.
    change_url = resident.url("5") + "?change=1"
    # A page of several questions: each Change link lands on its own question.
    assert f'href="{change_url}#id_5-plant_trees"' in page and f'href="{change_url}#id_5-meadows"' in page
    change_page = text(resident.client.get(change_url))
    assert f'<a href="{resident.url("check-your-answers")}" class="govuk-back-link">' in change_page
    assert f'action="{change_url}"' in change_page
    response = resident.answer("5", {"plant_trees": "disagree", "meadows": "agree"}, change=True)
    assert response["Location"] == resident.url("check-your-answers")
    assert "Disagree" in text(resident.check_page())

    sent = resident.send()
    assert sent["Location"] == f"/s/{resident.survey.slug}/confirmation/"
    response = Response.objects.get()
    confirmation = text(resident.client.get(sent["Location"]))
    assert "Response sent" in confirmation and response.reference in confirmation
    assert Answer.objects.get(response=response, question__key="plant_trees").choice.value == "disagree"
    assert EqualityProfile.objects.get(response=response).age == 40


def test_changing_an_answer_that_opens_a_new_page_asks_only_that_page_then_returns_to_the_check_page(resident):
    resident.answer_all({**WEEKLY_VISITOR_PAGES, "6": {"updates": "no"}, "7": {}} | {"8": {"postcode": ""}})
    resident.skip_about_you()
    assert resident.check_page().status_code == 200
    response = resident.answer("6", {"updates": "yes"}, change=True)
    # The email page is now on this resident's route and unanswered: straight there, still changing.
    assert response["Location"] == resident.url("7") + "?change=1"
    page = text(resident.client.get(response["Location"]))
    assert f'<a href="{resident.url("check-your-answers")}" class="govuk-back-link">' in page
    # Then back to the check page, not through the pages already answered after it.
    assert resident.answer("7", {"email": "a@example.com"}, change=True)["Location"] == resident.url(
        "check-your-answers"
    )
    assert "a@example.com" in text(resident.check_page())


def test_skipping_about_you_goes_to_the_check_page_and_says_so(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    assert resident.skip_about_you()["Location"] == resident.url("check-your-answers")
    page = text(resident.check_page())
    assert "You chose to skip these questions" in page
    assert resident.client.get(resident.url("10"))["Location"] == resident.url("check-your-answers")
    resident.send()
    assert EqualityProfile.objects.get().section_skipped


def test_about_you_pages_explain_why_we_ask_and_group_choices(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")
    dob = text(resident.client.get(resident.url("10")))
    assert "Why we ask and how we use your answer" in dob
    assert "If you prefer not to give your date of birth, what is your age?" in dob
    assert "Prefer not to say" in dob
    assert 'autocomplete="bday-day"' in dob
    for step in range(10, 14):
        resident.answer(str(step), {})
    ethnic = text(resident.client.get(resident.url("14")))
    for heading in ["White", "Mixed or Multiple ethnic groups", "Asian or Asian British"]:
        assert f'<h3 class="govuk-heading-s govuk-!-margin-top-4 govuk-!-margin-bottom-2">{heading}</h3>' in ethnic
    assert ethnic.count('<fieldset class="govuk-fieldset"') == 1
    assert "Describe your ethnic group (optional)" in ethnic


def test_under_16s_are_not_asked_the_16_plus_questions(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")
    born = timezone.localdate() - dt.timedelta(days=365 * 12)
    fields = {
        "about_you_date_of_birth_day": born.day,
        "about_you_date_of_birth_month": born.month,
        "about_you_date_of_birth_year": born.year,
    }
    assert resident.answer("10", fields)["Location"] == resident.url("11")
    # 12 and 13 ask gender identity and sexual orientation of those 16 or over.
    assert resident.answer("11", {})["Location"] == resident.url("14")


def test_double_click_refresh_and_second_tab_make_one_response(resident, client, django_user_model):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    first = resident.send(key)
    second = resident.send(key)  # the same POST again: a double click or a refresh
    assert first["Location"] == second["Location"]
    assert Response.objects.count() == 1
    reference = Response.objects.get().reference
    assert reference in text(resident.client.get(second["Location"]))


@pytest.mark.django_db(transaction=True)
def test_two_tabs_sending_at_the_same_moment_make_one_response(resident):
    """Two tabs of one browser (one session) press "Accept and send" together, on real threads."""
    import threading

    from django.db import connection
    from django.test import Client

    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    session_cookie = resident.client.cookies["sessionid"].value
    barrier = threading.Barrier(2)
    locations, errors = [], []

    def tab():
        try:
            browser_tab = Client()
            browser_tab.cookies["sessionid"] = session_cookie
            barrier.wait(timeout=10)
            response = browser_tab.post(resident.url("check-your-answers"), {"submission_key": key})
            locations.append(response["Location"])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert locations == [f"/s/{resident.survey.slug}/confirmation/"] * 2
    assert Response.objects.count() == 1
    assert EqualityProfile.objects.count() == 1


def test_confirmation_page_shows_nothing_to_a_stranger(client, resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    resident.send()
    from django.test import Client

    stranger = Client().get(f"/s/{resident.survey.slug}/confirmation/")
    assert stranger.status_code == 302


def test_survey_closing_mid_journey_says_so_and_keeps_nothing(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    Survey.objects.filter(pk=resident.survey.pk).update(status=Survey.Status.CLOSED)
    response = resident.send(key)
    assert response.status_code == 200
    page = text(response)
    assert "This consultation has closed" in page
    assert "Your answers have not been sent and have not been kept" in page
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    # The answers in progress are gone from the session too.
    Survey.objects.filter(pk=resident.survey.pk).update(status=Survey.Status.OPEN)
    assert resident.check_page()["Location"] == resident.url("1")


def test_sending_says_when_the_survey_closed_since_the_check_page_was_shown(resident, settings):
    """Sending uses the survey as "Check your answers" read it a moment before, and its INSERT reads the
    survey's row as it is now: a closing since is refused, and the page saying so shows the survey as it
    is now, its closing date included, which the check page's reading did not have."""
    settings.JOURNEY_CLOSING_GRACE_MINUTES = 0
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    closed = timezone.now() - dt.timedelta(seconds=1)
    Survey.objects.filter(pk=resident.survey.pk).update(closes_at=closed, title="Our parks (closed)")
    page = text(resident.send(key))
    assert "This consultation has closed" in page
    assert f"It closed on {closed.astimezone(timezone.get_current_timezone()):%A %-d %B %Y}" in page
    assert "Our parks (closed)" in page
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_sending_to_a_survey_taken_back_to_draft_since_the_check_page_finds_no_survey(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    Survey.objects.filter(pk=resident.survey.pk).update(status=Survey.Status.DRAFT)
    assert resident.send(key).status_code == 404  # as any page of a draft survey
    assert Response.objects.count() == 0


def test_survey_closing_between_pages_stops_the_journey_once_the_grace_period_is_over(resident, settings):
    """Begun an hour ago, closed 31 minutes ago, 30 minutes' grace: however long the test itself takes,
    the grace period is over (closing "a second ago" left it to the machine's speed which rule applied)."""
    settings.JOURNEY_CLOSING_GRACE_MINUTES = 30
    resident.answer("1", {"visit_frequency": "weekly"})
    resident.started_earlier(minutes=60)
    Survey.objects.filter(pk=resident.survey.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=31))
    page = text(resident.answer("3", {"main_park": "stamford_park"}))
    assert "This consultation has closed" in page and "It closed on" in page
    assert "Your answers have not been sent and have not been kept" in page


def test_without_a_grace_period_closing_between_pages_stops_the_journey_at_once(resident, settings):
    settings.JOURNEY_CLOSING_GRACE_MINUTES = 0
    resident.answer("1", {"visit_frequency": "weekly"})
    resident.started_earlier(minutes=60)
    Survey.objects.filter(pk=resident.survey.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    page = text(resident.answer("3", {"main_park": "stamford_park"}))
    assert "This consultation has closed" in page and "It closed on" in page


def test_before_opening_the_survey_says_when_it_opens(client, demo_survey):
    opens = timezone.now() + dt.timedelta(days=3)
    Survey.objects.filter(pk=demo_survey.pk).update(opens_at=opens)
    local = opens.astimezone(timezone.get_current_timezone())
    for url in (f"/s/{demo_survey.slug}/", f"/s/{demo_survey.slug}/questions/1/"):
        page = text(client.get(url))
        assert "This consultation is not open yet" in page
        assert f"It opens on {local:%A %-d %B %Y}" in page


def test_after_closing_the_survey_says_when_it_closed(client, demo_survey):
    closed = timezone.now() - dt.timedelta(days=2)
    Survey.objects.filter(pk=demo_survey.pk).update(closes_at=closed, opens_at=closed - dt.timedelta(days=30))
    page = text(client.get(f"/s/{demo_survey.slug}/"))
    assert "This consultation has closed" in page
    assert f"It closed on {closed.astimezone(timezone.get_current_timezone()):%A %-d %B %Y}" in page


def test_draft_surveys_are_not_public(client, demo_survey):
    Survey.objects.filter(pk=demo_survey.pk).update(status=Survey.Status.DRAFT)
    assert client.get(f"/s/{demo_survey.slug}/").status_code == 404
    assert client.get(f"/s/{demo_survey.slug}/questions/1/").status_code == 404


def test_council_identity_and_statement_pages(client, demo_survey, settings):
    settings.COUNCIL = {**settings.COUNCIL, "name": "Borsetshire Council", "header_colour": "#00703c"}
    page = text(client.get("/"))
    assert "Borsetshire Council" in page and 'href="/council.css"' in page
    assert "--chorus-header-colour: #00703c;" in client.get("/council.css").content.decode()
    assert "govuk-header__logotype" not in page and "crown" not in page.lower()
    assert "Future of our parks" in page
    assert "Accessibility statement" in text(client.get("/accessibility/"))
    privacy = text(client.get(f"/s/{demo_survey.slug}/privacy/"))
    assert "Privacy notice" in privacy and "data controller" in privacy
    assert client.get("/cookies/").status_code == 200
    assert client.get("/privacy/").status_code == 200


def test_journey_pages_are_never_cached(resident):
    response = resident.client.get(resident.url(), follow=True)
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_answers_on_pages_routed_away_from_are_not_sent(resident):
    resident.answer("1", {"visit_frequency": "never"})
    resident.answer("2", {"barriers": ["too_far", "no_toilets"]})
    resident.answer_all(WEEKLY_VISITOR_PAGES)  # changes page 1 to "weekly": page 2 is now off the route
    resident.skip_about_you()
    assert "They are too far away" not in text(resident.check_page())
    resident.send()
    keys = set(Answer.objects.values_list("question__key", flat=True))
    assert "barriers" not in keys and "main_park" in keys


def test_a_page_not_open_yet_keeps_nothing_posted_to_it(resident):
    """Posting straight to a later page (a crafted request, a stale tab) is sent to the first page still
    to answer, like opening it: its questions depend on the earlier answers and were never shown."""
    resident.start()
    response = resident.answer("4", WEEKLY_VISITOR_PAGES["4"])
    assert response["Location"] == resident.url("1")
    resident.answer_all({step: WEEKLY_VISITOR_PAGES[step] for step in "13"})
    page = text(resident.client.get(resident.url("4")))
    assert 'value="10"' not in page and "There is a problem" not in page


def test_after_a_change_adds_a_page_continuing_later_goes_to_that_page(resident):
    resident.answer_all({**WEEKLY_VISITOR_PAGES, "6": {"updates": "no"}, "7": {}})
    resident.skip_about_you()
    resident.answer("6", {"updates": "yes"}, change=True)
    # They leave, and come back by "Continue" on the start page: the new page, not the one they changed.
    assert resident.client.get(resident.url())["Location"] == resident.url("7")
