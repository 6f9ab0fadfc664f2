"""Shared test set-up."""

import gc

import pytest
from django.db import connections

from config.db_router import REPLICA


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory) -> None:
    """On SQLite, test against a file and take the write lock when a transaction begins.

    An in-memory database shared between threads (the live server, the concurrency tests) uses
    table locks that fail at once instead of waiting; and a deferred transaction that reads before
    it writes can deadlock with another writer. config/settings.py sets the same for every SQLite
    database, with WAL mode and a busy timeout (see README).
    """
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"].endswith("sqlite3"):
            db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")
            db.setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, dropped at the end even if a thread of some test left its connection
    open (the test client keeps a connection per thread, and CONN_MAX_AGE keeps it on PostgreSQL): each
    parallel worker drops its own database, and PostgreSQL refuses to drop one "being accessed by other
    users". So the other sessions on this worker's test database are ended first."""
    yield
    gc.collect()  # a finished thread's connection is closed when it is collected
    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(scope="module")
def postgres_replica(django_db_setup):
    """A second PostgreSQL connection configured as the replica alias, mirroring the test database as
    Django's TEST MIRROR does (there is no second server to stream to), and read-only, as a hot standby
    is: a write sent to it fails. Removed again afterwards, so no other test sees a replica. For tests
    marked `django_db(transaction=True, databases=["default", REPLICA])`: the replica sees committed rows."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("a real replica connection needs PostgreSQL (DATABASE_URL=postgres://...)")
    primary = connections["default"].settings_dict
    connections.settings[REPLICA] = {
        **primary,
        "OPTIONS": {**primary["OPTIONS"], "options": "-c default_transaction_read_only=on"},
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate limits count in the cache: no test starts with another's requests counted."""
    from django.core.cache import cache

    cache.clear()


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise serves collected static files in production; tests have no STATIC_ROOT and are served
    # through the staticfiles finders instead, so its "No directory at" start-up warning is expected.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
