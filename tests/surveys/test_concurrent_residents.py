"""Fifty residents answering and sending at the same moment, over HTTP against the live server's threads.

On SQLite (the default database) concurrent residents used to fail mid-journey with "database is
locked" while their session was saved (a 500, or a misleading "session deleted" 400). Every one of
them must finish, and every response must be stored once, with its own answers: none lost, none
duplicated. Run on both databases (DATABASE_URL for PostgreSQL).
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from pytest_django.live_server_helper import LiveServer

from surveys.models import Answer, Response
from tests.surveys.journey import WEEKLY_VISITOR_PAGES

RESIDENTS = 50
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
REFERENCE = re.compile(r'id="reference"[^>]*>\s*([A-Z0-9]{4}-[A-Z0-9]{4})')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


class Browser:
    """A resident's browser: cookies, and form posts that carry the CSRF token of the page they came from."""

    def __init__(self, base: str) -> None:
        self.base = base
        cookies = http.cookiejar.CookieJar()
        self.follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        self.stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect)

    def get(self, path: str) -> tuple[str, str]:
        with self.follow.open(self.base + path, timeout=120) as response:
            return response.geturl().removeprefix(self.base), response.read().decode()

    def post(self, path: str, page: str, fields: dict) -> str:
        """Post a form from `page`; returns where it redirected to."""
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF.search(page).group(1), **fields}, doseq=True)
        try:
            with self.stay.open(self.base + path, data=data.encode(), timeout=120) as response:
                raise AssertionError(f"{path}: {response.status}, not a redirect: {response.read().decode()[:500]}")
        except urllib.error.HTTPError as redirect:
            if redirect.code != 302:
                raise AssertionError(f"{path}: {redirect.code} {redirect.read().decode()[:500]}") from None
            return redirect.headers["Location"]


class RoomyServer(ThreadedWSGIServer):
    """Django's test server with a listen backlog for a crowd.

    Django's own keeps 10 connections waiting to be accepted; fifty residents connecting in the same
    instant overflowed it and one was reset by the kernel before Chorus saw the request (a failed CI run).
    Production serves through gunicorn, whose backlog is 2048 (bin/serve).
    """

    request_queue_size = 2 * RESIDENTS


@pytest.fixture
def crowd_server(transactional_db):
    server = LiveServer("localhost", start=False)
    server.thread.server_class = RoomyServer
    server._live_server_modified_settings.enable()
    server.start()
    yield server
    server.stop()
    server._live_server_modified_settings.disable()


def answer_the_survey(base: str, slug: str, number: int) -> str:
    """One resident's whole journey; returns the reference the confirmation page shows."""
    browser = Browser(base)
    path, page = browser.get(f"/s/{slug}/questions/")
    for step, fields in WEEKLY_VISITOR_PAGES.items():
        assert path == f"/s/{slug}/questions/{step}/", (number, path)
        answers = {**fields, "comments": f"Resident {number}"} if step == "5" else fields
        location = browser.post(path, page, {"action": "continue", **{f"{step}-{k}": v for k, v in answers.items()}})
        path, page = browser.get(location)
    location = browser.post(path, page, {"action": "skip"})  # About you
    path, page = browser.get(location)
    assert path.endswith("/check-your-answers/"), (number, path)
    location = browser.post(path, page, {"submission_key": SUBMISSION_KEY.search(page).group(1)})
    path, page = browser.get(location)
    assert path == f"/s/{slug}/confirmation/", (number, path)
    return REFERENCE.search(page).group(1)


@pytest.mark.django_db(transaction=True)
def test_fifty_residents_at_once_all_finish_and_every_response_is_stored_once(crowd_server, demo_survey):
    references: dict[int, str] = {}
    failures: list[str] = []
    start = threading.Barrier(RESIDENTS)

    def resident(number: int) -> None:
        try:
            start.wait(timeout=60)
            references[number] = answer_the_survey(crowd_server.url, demo_survey.slug, number)
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            failures.append(f"resident {number}: {exc!r}"[:600])

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(RESIDENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert failures == []
    assert len(references) == RESIDENTS
    # Each resident's own answers, under the reference they were shown: none lost, none duplicated.
    comments = dict(Answer.objects.filter(question__key="comments").values_list("response__reference", "text"))
    assert comments == {reference: f"Resident {number}" for number, reference in references.items()}
    assert Response.objects.count() == RESIDENTS
    assert Answer.objects.filter(question__key="main_park").count() == RESIDENTS


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_and_waits_for_the_write_lock():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's journal mode and busy timeout")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000  # milliseconds
