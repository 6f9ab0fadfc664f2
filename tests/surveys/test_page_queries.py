"""Each survey page costs the same few queries, however far into the journey the resident is.

Showing a page reads the session and the survey; sending one also writes the session. The survey's
structure comes from memory (surveys/structure_cache.py) and earlier pages' answers from the journey,
so a page never loads questions, choices or earlier answers again (issue 9: server time per page,
benchmarks/journey.py). A change that adds a query per request, or per page answered so far, fails here.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.surveys.journey import WEEKLY_VISITOR_PAGES

pytestmark = pytest.mark.django_db

# Statements that only open or close a transaction (or a savepoint inside the test's one) are not counted.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET ")
# What each request may do, as (statement, table) pairs, in order.
SHOWING = [("SELECT", "django_session"), ("SELECT", "surveys_survey")]
SENDING = [*SHOWING, ("UPDATE", "django_session")]
ANSWERS = {**WEEKLY_VISITOR_PAGES, "10": {"about_you_date_of_birth__age": "40"}}


def statements(queries: CaptureQueriesContext) -> list[tuple[str, str]]:
    counted = []
    for query in queries.captured_queries:
        sql = query["sql"].lstrip()
        if sql.upper().startswith(TRANSACTION_CONTROL):
            continue
        verb = sql.split(None, 1)[0].upper()
        table = next((t for t in ("django_session", "surveys_survey") if f'"{t}"' in sql), sql[:80])
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


def test_sending_asks_once_whether_the_journey_was_sent_and_reads_no_structure(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    key = resident.check_page().context["submission_key"]
    with CaptureQueriesContext(connection) as sent:
        assert resident.send(key).status_code == 302
    selects = [q["sql"] for q in sent.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    # Inside the transaction that writes it: asking before as well would only repeat the question.
    assert len([sql for sql in selects if 'FROM "surveys_response"' in sql]) == 1
    assert not [sql for sql in selects if any(f'"{t}"' in sql for t in ("surveys_page", "surveys_question"))]
