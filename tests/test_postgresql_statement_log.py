"""A statement PostgreSQL refuses is logged by the server with $1 placeholders, never with the answers in it.

With client-side binding (psycopg's default in Django) the values are written into the statement text,
and PostgreSQL's log_min_error_statement (default: error) copies that text into the server log. Chorus
sends values apart (config/settings.py: server_side_binding). This provokes a failed INSERT of an
"About you" row through the ORM and reads what the server wrote to its log, then does the same with
client-side binding to show what would otherwise be there.
"""

import time

import pytest
from django.db import DataError, connection, transaction
from django.db.backends.postgresql.base import Cursor as ClientBindingCursor
from django.utils import timezone

from surveys.models import EqualityProfile
from tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db

MARKER = "Zoroastrian-9b2e71"  # a write-in answer nobody else's log lines will hold


def _server_log(cursor) -> str | None:
    """Where the server logs, if this connection may read it (pg_read_file needs a superuser)."""
    cursor.execute("SELECT pg_current_logfile()")
    path = cursor.fetchone()[0]
    if path is None:  # no logging collector: Debian's pg_ctlcluster sends stderr to this file
        cursor.execute("SHOW cluster_name")
        path = f"/var/log/postgresql/postgresql-{cursor.fetchone()[0].replace('/', '-')}.log"
    try:
        with transaction.atomic():
            cursor.execute("SELECT size FROM pg_stat_file(%s)", [path])
    except Exception:
        return None
    return path


def _log_size(cursor, path: str) -> int:
    cursor.execute("SELECT size FROM pg_stat_file(%s)", [path])
    return cursor.fetchone()[0]


def _refused_insert(response) -> None:
    """An "About you" row the database refuses (sex is at most 40 characters), with answers in it."""
    with pytest.raises(DataError), transaction.atomic():
        EqualityProfile.objects.create(
            response=response,
            survey_id=response.survey_id,
            channel=response.channel,
            submitted_at=timezone.now(),
            sex="x" * 41,
            religion="other",
            write_ins={"religion": MARKER},
            age=87,
            library_version="2026.1",
        )


def _lines_logged(cursor, path: str, since: int, pid: int, *, expect: str) -> list[str]:
    """This backend's lines written to the server log since `since`, once `expect` is among them."""
    deadline = time.monotonic() + 5  # the logging collector, if used, writes a moment later
    while True:
        cursor.execute("SELECT pg_read_file(%s, %s, %s)", [path, since, _log_size(cursor, path) - since])
        lines = [line for line in cursor.fetchone()[0].splitlines() if f"[{pid}]" in line]
        if any(expect in line for line in lines) or time.monotonic() > deadline:
            return lines


def test_a_refused_statement_reaches_the_server_log_without_its_values():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server log")
    assert connection.features.uses_server_side_binding
    response = ResponseFactory()
    with connection.cursor() as cursor:
        path = _server_log(cursor)
        if path is None:
            pytest.skip("This database user may not read the server's log (pg_read_file needs a superuser)")
        cursor.execute("SET log_min_error_statement = 'error'")  # the default, made sure of
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
        since = _log_size(cursor, path)

    _refused_insert(response)

    with connection.cursor() as cursor:
        lines = _lines_logged(cursor, path, since, pid, expect="STATEMENT:")
    assert any("ERROR:  value too long for type character varying(40)" in line for line in lines), lines
    statements = [line for line in lines if "STATEMENT:" in line]
    assert len(statements) == 1 and 'INSERT INTO "surveys_equalityprofile"' in statements[0]
    assert "VALUES ($1, $2, $3" in statements[0]
    assert not [line for line in lines if MARKER in line or "'other'" in line or "xxxxxxxxxx" in line]

    # The same statement sent the way psycopg does by default: the server logs every answer in it.
    with connection.cursor() as cursor:
        since = _log_size(cursor, path)
    server_side = connection.connection.cursor_factory
    connection.connection.cursor_factory = ClientBindingCursor
    try:
        _refused_insert(response)
    finally:
        connection.connection.cursor_factory = server_side
    with connection.cursor() as cursor:
        lines = _lines_logged(cursor, path, since, pid, expect="STATEMENT:")
    assert [line for line in lines if "STATEMENT:" in line and MARKER in line], lines
