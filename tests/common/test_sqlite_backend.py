"""SQLite through Django's backend with each statement's placeholders converted once (common/db/sqlite3):
the database receives exactly the SQL Django's own backend sends, and queries give the same rows."""

import pytest
from django.db import connection
from django.db.backends.sqlite3 import base as djangos

from surveys.models import Survey
from tests.factories import TeamFactory

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own backend")

STATEMENTS = [
    "SELECT %s",
    "SELECT %s, %s WHERE 'a%%b' LIKE %s",
    "SELECT '%%s' || %s",  # a literal %s, written %%s, is not a placeholder
    'INSERT INTO "t" ("a", "b") VALUES (%s, %s), (%s, %s)',
    "SELECT 1",
]


@pytest.mark.django_db
def test_statements_are_converted_as_djangos_sqlite_backend_converts_them():
    from common.db.sqlite3.base import SQLiteCursorWrapper

    with connection.cursor() as cursor:
        ours = cursor.cursor
        assert type(ours) is SQLiteCursorWrapper
        theirs = connection.connection.cursor(factory=djangos.SQLiteCursorWrapper)
        for sql in STATEMENTS:
            assert ours.convert_query(sql) == theirs.convert_query(sql)
            assert ours.convert_query(sql) is ours.convert_query(sql)  # converted once, kept
        named = "SELECT %(a)s, %(b)s"
        assert ours.convert_query(named, param_names=["a", "b"]) == theirs.convert_query(named, param_names=["a", "b"])
        theirs.close()


@pytest.mark.django_db
def test_queries_give_the_same_results_placeholders_literal_percents_and_named_parameters():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s, '%%s', %s", [1, "x"])
        assert cursor.fetchone() == (1, "%s", "x")
        cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})
        assert cursor.fetchone() == (5,)
    team = TeamFactory()
    for number, title in enumerate(["Half (50%) of the parks", "All of the parks"]):
        Survey.objects.create(title=title, slug=f"parks-{number}", status=Survey.Status.DRAFT, team=team)
    assert list(Survey.objects.filter(title__contains="50%").values_list("title", flat=True)) == [
        "Half (50%) of the parks"
    ]


def test_the_converted_statements_kept_are_bounded():
    from common.db.sqlite3.base import _MOST, _qmark

    assert _qmark.cache_info().maxsize == _MOST
