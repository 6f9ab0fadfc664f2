"""No equality answer, resume token or password reaches a log (common/redaction.py).

The records come from real code paths (a failing submission, a 500 with POST data, the database
backend's query log, runserver's access log) and are read from the handlers settings.LOGGING sets up.
Each test also reads the same records through a handler without the filter, placed before the
configured ones, to show that the thing withheld was really there to leak.
"""

import io
import logging
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import IntegrityError, connection, connections
from django.test import Client

from common.redaction import EXCEPTION_MESSAGE_WITHHELD, RedactingFilter, redact_sql, redact_text
from surveys import services
from surveys.models import EqualityProfile, Response
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident

# Values a resident gives that must never be logged.
WRITE_IN = "Zoroastrian-4f1c9e"
BIRTH = {
    "about_you_date_of_birth_day": "2",
    "about_you_date_of_birth_month": "5",
    "about_you_date_of_birth_year": "1980",
}


class Logs:
    def __init__(self) -> None:
        self.configured = io.StringIO()  # what the configured handlers wrote
        self.unfiltered = io.StringIO()  # the same records, before any filter touched them

    @property
    def text(self) -> str:
        return self.configured.getvalue()

    @property
    def raw(self) -> str:
        return self.unfiltered.getvalue()


@pytest.fixture
def logs() -> Iterator[Logs]:
    captured = Logs()
    loggers = [logging.getLogger(), logging.getLogger("django.server")]
    configured = [h for lg in loggers for h in lg.handlers if any(isinstance(f, RedactingFilter) for f in h.filters)]
    assert len(configured) == 2, "the console and access-log handlers, each with the filter"
    raw = logging.StreamHandler(captured.unfiltered)
    raw.setFormatter(logging.Formatter("%(message)s"))
    previous = [h.setStream(captured.configured) for h in configured]
    for lg in loggers:
        lg.handlers.insert(0, raw)
    try:
        yield captured
    finally:
        for lg in loggers:
            lg.removeHandler(raw)
        for handler, stream in zip(configured, previous, strict=True):
            handler.setStream(stream)


def about_you_answered(survey, client: Client) -> Resident:
    resident = Resident(client, survey)
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")
    resident.answer("10", BIRTH)
    for step in ("11", "12", "13", "14", "15", "16"):
        resident.answer(step)
    resident.answer("17", {"about_you_religion": "other", "about_you_religion__other": WRITE_IN})
    for step in ("18", "19", "21", "22", "23"):
        resident.answer(step)
    assert resident.check_page().status_code == 200
    return resident


def refuse_profiles(monkeypatch) -> None:
    """A failure deep in storing the answers whose message quotes them, as database errors do."""
    real = services.equality_profile_values

    def failing(**kwargs):
        real(**kwargs)
        raise IntegrityError(f"Failing row contains ({kwargs['answers']!r})")

    monkeypatch.setattr(services, "equality_profile_values", failing)


@pytest.mark.django_db
def test_a_failing_submission_logs_no_answers(demo_survey, logs, monkeypatch):
    resident = about_you_answered(demo_survey, Client(raise_request_exception=False))
    refuse_profiles(monkeypatch)

    assert resident.send().status_code == 500
    assert not Response.objects.exists()  # nothing half-written

    assert WRITE_IN in logs.raw and "1980-05-02" in logs.raw  # the leak this guards against
    assert f"Internal Server Error: /s/{demo_survey.slug}/questions/check-your-answers/" in logs.text
    assert "Traceback (most recent call last):" in logs.text and "in _submit_once" in logs.text
    assert f"django.db.utils.IntegrityError: {EXCEPTION_MESSAGE_WITHHELD}" in logs.text
    assert WRITE_IN not in logs.text and "1980" not in logs.text


@pytest.mark.django_db
def test_postgresql_refusing_a_submission_logs_no_answers(demo_survey, logs):
    """PostgreSQL's own error quotes the whole row it refused ("DETAIL: Failing row contains ...")."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's errors quote the refused row; SQLite's do not")
    resident = about_you_answered(demo_survey, Client(raise_request_exception=False))
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(
            "ALTER TABLE surveys_equalityprofile ADD CONSTRAINT refuse_every_profile CHECK (religion IS NULL) NOT VALID"
        )

    assert resident.send().status_code == 500

    assert "Failing row contains" in logs.raw and WRITE_IN in logs.raw
    assert "Internal Server Error" in logs.text and EXCEPTION_MESSAGE_WITHHELD in logs.text
    assert WRITE_IN not in logs.text and "Failing row" not in logs.text and "other" not in logs.text.split("Error")[-1]


@pytest.mark.django_db
def test_a_500_with_answers_and_a_password_posted_logs_neither(demo_survey, logs, monkeypatch):
    import surveys.wizard.view

    def broken(form, **kwargs):
        raise ValueError(f"Cannot keep {dict(form.data)!r}")

    monkeypatch.setattr(surveys.wizard.view, "page_data_kept", broken)
    resident = Resident(Client(raise_request_exception=False), demo_survey)
    resident.client.get(resident.url("1"))  # the journey begins
    posted = {"5-comments": f"My neighbour {WRITE_IN} is a Sikh", "password": "hunter2-secret", "action": "continue"}
    assert resident.client.post(resident.url("1"), {**posted, "1-visit_frequency": "weekly"}).status_code == 500

    assert WRITE_IN in logs.raw and "hunter2-secret" in logs.raw
    assert f"Internal Server Error: /s/{demo_survey.slug}/questions/1/" in logs.text
    assert f"ValueError: {EXCEPTION_MESSAGE_WITHHELD}" in logs.text
    assert WRITE_IN not in logs.text and "hunter2" not in logs.text and "Sikh" not in logs.text


@pytest.mark.django_db
def test_the_database_query_log_keeps_statements_but_not_their_values(demo_survey, logs):
    resident = about_you_answered(demo_survey, Client())
    backend = logging.getLogger("django.db.backends")
    level, forced = backend.level, connection.force_debug_cursor
    backend.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        assert resident.send().status_code == 302
    finally:
        backend.setLevel(level)
        connection.force_debug_cursor = forced
    profile = EqualityProfile.objects.get()
    assert profile.write_ins == {"religion": WRITE_IN}

    assert WRITE_IN in logs.raw  # the INSERT as Django logs it holds the answers
    inserts = [line for line in logs.text.splitlines() if 'INSERT INTO "surveys_equalityprofile"' in line]
    assert len(inserts) == 1
    assert "VALUES (?" in inserts[0] or "VALUES ($" in inserts[0]
    assert "args=[withheld]" in inserts[0]
    assert WRITE_IN not in logs.text and "'other'" not in logs.text and f" {profile.age}," not in inserts[0]


@pytest.mark.django_db
def test_resume_tokens_stay_out_of_runserver_s_access_log(demo_survey, logs):
    """runserver's own request handler serves a resume link; its access log line has no token."""
    token = "kX9f2LqR7s-Wm3nB8vYt1cZ4hJ6dP0aE5uG_iO2rT7w"
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())

    def serve_one_request() -> None:
        try:
            server.handle_request()
        finally:
            connections.close_all()  # the thread's own connection (kept open by CONN_MAX_AGE on PostgreSQL)

    thread = threading.Thread(target=serve_one_request)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/s/{demo_survey.slug}/resume/?token={token}"
    try:
        with pytest.raises(urllib.error.HTTPError):  # the survey is not in the server thread's database
            urllib.request.urlopen(url, timeout=10)
    finally:
        thread.join(timeout=10)
        server.server_close()

    assert token in logs.raw
    assert re.search(rf'"GET /s/{demo_survey.slug}/resume/\?token=\[withheld\] HTTP/1.1" 404', logs.text)
    assert token not in logs.text


def test_sql_keeps_its_shape_without_its_values():
    sqlite = (
        """INSERT INTO "surveys_equalityprofile" ("age", "religion", "write_ins") VALUES (44, 'it''s', '{"a": 1}')"""
    )
    assert (
        redact_sql(sqlite) == 'INSERT INTO "surveys_equalityprofile" ("age", "religion", "write_ins") VALUES (?, ?, ?)'
    )
    postgres = (
        """SELECT "t1"."id" FROM "surveys_response" U0 WHERE ("U0"."reference" = $1 AND "x2" > -3.5e2) LIMIT 21"""
    )
    assert (
        redact_sql(postgres)
        == 'SELECT "t1"."id" FROM "surveys_response" U0 WHERE ("U0"."reference" = $1 AND "x2" > ?) LIMIT ?'
    )


def test_tokens_and_passwords_are_withheld_from_messages():
    assert redact_text("GET /s/a/resume/?token=abc_DEF-1&next=x") == "GET /s/a/resume/?token=[withheld]&next=x"
    assert redact_text("csrfmiddlewaretoken=keep-this") == "csrfmiddlewaretoken=keep-this"
    assert redact_text("""{'password': 'a b c', "new_password2": "d", api_key=e}""") == (
        "{'password': [withheld], \"new_password2\": [withheld], api_key=[withheld]}"
    )
