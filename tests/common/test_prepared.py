"""Queries run on every resident's request, compiled once (common/prepared.py), give what the ORM gives:
the same survey, read afresh on each request, on PostgreSQL and SQLite."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import Team
from common.prepared import OneRow
from surveys.models import Survey
from surveys.selectors import survey_public_get
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def field_values(survey: Survey) -> dict[str, object]:
    return {f.attname: getattr(survey, f.attname) for f in Survey._meta.concrete_fields}


def test_a_survey_is_the_one_the_orm_reads_every_field_alike():
    closes = timezone.now().replace(microsecond=123456) + dt.timedelta(days=3)
    survey = SurveyFactory(slug="parks", closes_at=closes, team=Team.objects.create(name="Parks"), minimum_age=18)
    SurveyFactory(slug="parks-2")
    read = OneRow(Survey, "slug").get("parks")
    assert read is not None
    expected = Survey.objects.get(pk=survey.pk)
    assert field_values(read) == field_values(expected)
    assert read.pk == survey.pk and read.closes_at == closes and read.closes_at.tzinfo is not None
    assert read.team.name == "Parks"
    assert not read._state.adding and read._state.db == "default"
    assert OneRow(Survey, "slug").get("no-such-survey") is None


def test_a_public_survey_is_read_afresh_on_every_request_in_one_query():
    survey = SurveyFactory(slug="parks")
    with CaptureQueriesContext(connection) as queries:
        assert survey_public_get(slug="parks") == survey
    assert len(queries) == 1
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, title="Parks (closed)")
    closed = survey_public_get(slug="parks")
    assert closed is not None and closed.status == Survey.Status.CLOSED and closed.title == "Parks (closed)"
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.DRAFT)
    assert survey_public_get(slug="parks") is None


def test_a_comparison_with_an_expiry_reads_only_rows_still_to_come():
    now = timezone.now()
    SurveyFactory(slug="parks", opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(hours=1))
    open_until = OneRow(Survey, "slug", "closes_at__gt", values=("title", "closes_at"))
    title, closes_at = open_until.values_of("parks", now)
    assert title.startswith("Consultation") and closes_at > now
    assert open_until.values_of("parks", now + dt.timedelta(hours=2)) is None


def test_only_plain_comparisons_with_a_value_are_allowed():
    with pytest.raises(ValueError):
        OneRow(Survey, "slug__icontains")
    with pytest.raises(ValueError):
        OneRow(Survey, "closes_at").get(None)


@pytest.mark.django_db(transaction=True)
def test_a_threads_connection_is_let_go_when_the_thread_ends():
    """Each thread (a threaded server's, the browser tests' live server) has its own connection: what was
    compiled for it must not keep it, open, for the life of the process (a weakly keyed table did, since
    the compiled query holds its connection)."""
    import gc
    import threading
    import weakref

    from django.db import connections

    held: list[weakref.ref] = []

    def request() -> None:
        assert survey_public_get(slug="no-such-survey") is None
        held.append(weakref.ref(connections["default"]))
        connections.close_all()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    assert held and held[0]() is None
