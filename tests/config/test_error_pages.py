"""Error pages in the council's style, with a way back and a contact, for every part of the site."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from tests.surveys.journey import Resident

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def assert_council_page(page: str, heading: str, settings) -> None:
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert f"<title>{heading} – {settings.COUNCIL['name']}</title>" in page
    assert "chorus-header" in page and settings.COUNCIL["name"] in page  # the council's header, not Django's
    assert 'id="way-back"' in page and 'href="/"' in page
    assert f"mailto:{settings.COUNCIL['contact_email']}" in page


def test_page_not_found(client, settings):
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/cookies/")
    assert response.status_code == 404
    page = text(response)
    assert_council_page(page, "Page not found", settings)
    assert '<a class="govuk-link" href="/cookies/" id="way-back">' in page  # back where they came from
    assert "If you typed the web address, check it is correct" in page


def test_a_way_back_never_leads_off_the_site(client):
    page = text(client.get("/no-such-page/", HTTP_REFERER="https://evil.example/phish"))
    assert "evil.example" not in page and 'href="/" id="way-back"' in page


def test_server_error(client, settings, monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("engagement.hub.views.public.render", lambda *a, **k: broken(None))
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = text(response)
    assert_council_page(page, "Sorry, there is a problem with the service", settings)
    assert "boom" not in page and "Traceback" not in page


def test_server_error_page_renders_without_the_database(rf, settings, django_assert_num_queries):
    from config.errors import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/s/anything/"))
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in response.content.decode()


def test_bad_request(client, settings):
    response = client.get("/", HTTP_HOST="not-this-site.example")
    assert response.status_code == 400
    assert_council_page(text(response), "Sorry, there is a problem with your request", settings)


def test_forbidden_gives_the_policys_reason(client, settings, monkeypatch):
    user = get_user_model().objects.create_user("someone", password="x-pass-1234")
    client.force_login(user)

    def refuse(request):
        raise PermissionDenied("Your role does not include this. Ask an administrator.")

    monkeypatch.setattr("engagement.hub.views.public.render", lambda request, *a, **k: refuse(request))
    response = client.get("/")
    assert response.status_code == 403
    page = text(response)
    assert_council_page(page, "You cannot see this page", settings)
    assert "Your role does not include this. Ask an administrator." in page


def test_a_failed_csrf_check_on_a_survey_page_says_start_again(settings):
    from surveys.demo import demo_consultation_create

    demo_survey = demo_consultation_create()
    resident = Client(enforce_csrf_checks=True)
    resident.get(f"/s/{demo_survey.slug}/questions/", follow=True)
    resident.cookies.pop("csrftoken", None)  # the browser lost its cookies, or the page sat open
    response = resident.post(f"/s/{demo_survey.slug}/questions/1/", {"1-visit_frequency": "weekly"})
    assert response.status_code == 403
    page = text(response)
    assert "You’ll have to start again" in page and "CSRF" not in page
    # Not told they were idle: they may have answered a moment ago; the cookies are what went.
    assert "You did not do anything" not in page
    assert "cleared or blocked the cookies we use to keep your answers" in page
    assert f'href="/s/{demo_survey.slug}/questions/"' in page


def test_a_failed_csrf_check_elsewhere_is_a_plain_expired_page(settings):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = text(response)
    assert_council_page(page, "This page has expired", settings)
    assert "CSRF" not in page


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "koi8-r"])
def test_a_form_in_another_character_set_gets_the_bad_request_page_as_a_browser_posts_it(settings, charset):
    """With the CSRF check on, as for every browser (the test client skips it unless told): the check reads
    the form, which Django refuses in any character set but UTF-8; the 400 page then must not read it
    again (it did, through `requires_csrf_token`, and the WSGI server answered with its bare 500)."""
    from surveys.demo import demo_consultation_create

    demo_survey = demo_consultation_create()
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    resident = Resident(browser, demo_survey)
    resident.start()  # the CSRF cookie, as a visit gives it
    token = resident.csrf()["csrfmiddlewaretoken"]
    body = f"csrfmiddlewaretoken={token}&1-visit_frequency=weekly&action=continue".encode(charset)
    for url in (
        f"/s/{demo_survey.slug}/questions/1/",
        f"/s/{demo_survey.slug}/questions/check-your-answers/",
        f"/s/{demo_survey.slug}/resume/",
        "/accounts/login/",
    ):
        response = browser.generic(
            "POST", url, data=body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
        )
        assert response.status_code == 400, (url, response.status_code)
        assert_council_page(text(response), "Sorry, there is a problem with your request", settings)
    # The same form in UTF-8 is taken: the refusal was the character set's, not the token's.
    utf8 = browser.post(
        f"/s/{demo_survey.slug}/questions/1/", body.decode(charset), content_type="application/x-www-form-urlencoded"
    )
    assert utf8.status_code == 302
