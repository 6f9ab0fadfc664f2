"""Each survey page costs the same few queries, however far into the journey the resident is.

Showing a page reads the session and the survey; sending one also writes the session. The survey's
structure comes from memory (surveys/structure_cache.py) and earlier pages' answers from the journey,
so a page never loads questions, choices or earlier answers again (issue 9: server time per page,
benchmarks/journey.py). A change that adds a query per request, or per page answered so far, fails here.
"""

import itertools
import re
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Response
from surveys.wizard.state import journey_prefix
from tests.surveys.journey import WEEKLY_VISITOR_PAGES

pytestmark = pytest.mark.django_db

# Statements that only open or close a transaction (or a savepoint inside the test's one) are not counted.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET ")
# What each request may do, as (statement, table) pairs, in order.
SHOWING = [("SELECT", "django_session"), ("SELECT", "surveys_survey")]
SENDING = [*SHOWING, ("UPDATE", "django_session")]
ANSWERS = {**WEEKLY_VISITOR_PAGES, "10": {"about_you_date_of_birth__age": "40"}}
# The table a statement reads or writes: after UPDATE, or the first FROM or INTO.
TABLE = re.compile(r'^(?:UPDATE|\w+\s.*?\b(?:FROM|INTO))\s+"(\w+)"', re.IGNORECASE | re.DOTALL)


def statements(queries: CaptureQueriesContext) -> list[tuple[str, str]]:
    counted = []
    for query in queries.captured_queries:
        sql = query["sql"].lstrip()
        if sql.upper().startswith(TRANSACTION_CONTROL):
            continue
        verb = sql.split(None, 1)[0].upper()
        table = match[1] if (match := TABLE.match(sql)) else sql[:80]
        counted.append((verb, table))
    return counted


def test_every_survey_page_is_shown_and_sent_with_the_same_few_queries(resident):
    url = resident.client.get(resident.url())["Location"]  # starting: the first page is shown next
    seen = []
    while not url.endswith("/check-your-answers/"):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        with CaptureQueriesContext(connection) as shown:
            assert resident.client.get(url).status_code == 200
        data = {f"{step}-{name}": value for name, value in ANSWERS.get(step, {}).items()}
        with CaptureQueriesContext(connection) as sent:
            response = resident.client.post(url, {**data, "action": "continue"})
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        assert (step, statements(shown)) == (step, SHOWING)
        assert (step, statements(sent)) == (step, SENDING)
        seen.append(step)
        url = response["Location"]
    # The whole journey was walked, About you included, so the last pages had many answers before them.
    assert len(seen) >= 15 and "10" in seen and "22" in seen


@pytest.mark.django_db(transaction=True)  # commits for real: what the session writes, and when, is the point
def test_sending_writes_the_response_first_asks_nothing_before_and_commits_once(resident):
    """The response's row is the transaction's first write: its unique submission key says whether the
    journey was sent already, so nothing asks first (and no savepoint is needed around it). The same
    statement reads the survey's status and structure version afresh (INSERT ... SELECT ... WHERE the
    survey takes it: docs/decisions/0044). Then the answers and About you are written apart, and the
    session, which forgets the answers, is written in the same transaction: one commit, and nothing
    written after it (docs/decisions/0041)."""
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    with CaptureQueriesContext(connection) as sent:
        response = resident.send(key)
    assert response.status_code == 302
    assert statements(sent) == [
        ("SELECT", "django_session"),  # not the survey: the INSERT reads its row (and the check page read it)
        ("INSERT", "surveys_response"),
        ("INSERT", "surveys_answer"),
        ("INSERT", "surveys_equalityprofile"),
        ("UPDATE", "django_session"),
    ]
    inserting = next(q["sql"] for q in sent.captured_queries if q["sql"].startswith('INSERT INTO "surveys_response"'))
    assert ' FROM "surveys_survey" WHERE ' in inserting  # the survey's status, read as the row is written
    commits = [i for i, query in enumerate(sent.captured_queries) if query["sql"].upper().startswith("COMMIT")]
    assert commits == [len(sent.captured_queries) - 1]  # one commit, the last statement: the session's in it
    assert Response.objects.filter(submission_key=key).count() == 1
    # The session as stored keeps no answers, and the reference for the confirmation page.
    stored = resident.client.session  # read afresh from the database
    assert stored[f"wizard_{journey_prefix(resident.survey)}"]["step_data"] == {}
    reference = Response.objects.get(submission_key=key).reference
    assert reference in resident.client.get(response["Location"]).content.decode()


def test_sending_long_after_the_check_page_reads_the_survey_again(resident, monkeypatch):
    """Sending uses the survey "Check your answers" read only while the structure that page showed is
    used from memory (surveys/structure_cache.py); later it reads the survey as every page does."""
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    monkeypatch.setattr("surveys.structure_cache.MAX_AGE_SECONDS", 0)
    with CaptureQueriesContext(connection) as sent:
        assert resident.send(key).status_code == 302
    assert statements(sent)[:2] == SHOWING  # (and the structure, loaded again at that age)
    assert Response.objects.filter(submission_key=key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_sending_a_minute_after_the_last_page_still_writes_the_session_once(resident, monkeypatch):
    """A resident reads "Check your answers" before sending: the session's expiry slides when sending,
    and is committed with the response, so nothing is written after the commit (it was, a second UPDATE
    and a second commit on every send that came a second or more after the page before it)."""
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    later = int(time.time()) + 90
    # The journey's clock only, a second on at each look: sliding twice in one request would show.
    clock = itertools.count(later)
    monkeypatch.setattr("surveys.wizard.state.time", SimpleNamespace(time=lambda: next(clock)))
    with CaptureQueriesContext(connection) as sent:
        response = resident.send(key)
    assert response.status_code == 302
    writes = [s for s in statements(sent) if s[0] != "SELECT"]
    assert writes.count(("UPDATE", "django_session")) == 1, statements(sent)
    commits = [i for i, query in enumerate(sent.captured_queries) if query["sql"].upper().startswith("COMMIT")]
    assert commits == [len(sent.captured_queries) - 1]
    # The expiry slid with the send: the session lasts its idle time from when the response was sent.
    assert resident.client.session["surveys_touched"] == later
