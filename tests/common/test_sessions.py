"""Sessions are saved in one statement to the same table (common/sessions.py, SESSION_ENGINE): every page of
a resident's journey changes the session, and BEGIN and COMMIT around its UPDATE were two more round trips
to the database on each."""

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def store(session_key=None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def statements(queries):
    return [q["sql"].split()[0].upper() for q in queries]


@pytest.mark.django_db(transaction=True)  # autocommit, as the session middleware saves after a view
def test_a_new_and_a_changed_session_are_each_written_in_one_statement():
    session = store()
    session["journey"] = {"step": "1"}
    with CaptureQueriesContext(connection) as created:
        session.save()
    assert statements(created) == ["INSERT"]

    again = store(session.session_key)
    again["journey"] = {"step": "2"}
    with CaptureQueriesContext(connection) as changed:
        again.save()
    assert statements(changed) == ["UPDATE"]
    assert store(session.session_key)["journey"] == {"step": "2"}
    assert Session.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_session_deleted_meanwhile_is_not_written_back():
    """As Django's engine: the middleware turns UpdateError into 'the session was deleted' (400)."""
    session = store()
    session["journey"] = {"step": "1"}
    session.save()
    stale = store(session.session_key)
    stale["journey"] = {"step": "2"}
    stale.load()
    Session.objects.all().delete()
    with pytest.raises(UpdateError):
        stale.save()
    assert not Session.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_clashing_new_key_is_refused_and_another_drawn(monkeypatch):
    taken = store()
    taken["a"] = 1
    taken.save()
    keys = iter([taken.session_key, "z" * 32])
    session = store()
    monkeypatch.setattr(session, "_get_new_session_key", lambda: next(keys))
    session.create()
    assert session.session_key == "z" * 32
    assert Session.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_failed_save_leaves_it_usable():
    session = store()
    session.save()
    stale = store(session.session_key)
    stale["a"] = 1
    Session.objects.all().delete()
    with transaction.atomic():
        with pytest.raises(UpdateError):
            stale.save()
        Session.objects.create(session_key="y" * 32, session_data="", expire_date=session.get_expiry_date())
    assert Session.objects.filter(session_key="y" * 32).exists()


@pytest.mark.django_db
def test_a_session_is_loaded_in_one_select_with_what_was_saved():
    session = store()
    session["journey"] = {"step": "3", "answers": ["a", "é"]}
    session.save()
    loaded = store(session.session_key)
    with CaptureQueriesContext(connection) as queries:
        assert loaded["journey"] == {"step": "3", "answers": ["a", "é"]}
    assert statements(queries) == ["SELECT"]
    assert loaded.session_key == session.session_key


@pytest.mark.django_db
def test_an_expired_or_unknown_session_loads_empty_and_its_key_is_dropped():
    """As Django's engine: the resident starts with a new session, and the old key is never written to."""
    session = store()
    session["journey"] = {"step": "3"}
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    for key in (session.session_key, "n" * 32):
        loaded = store(key)
        assert "journey" not in loaded
        assert loaded.session_key is None


@pytest.mark.django_db
def test_session_data_that_does_not_decode_loads_empty(caplog):
    session = store()
    session["journey"] = {"step": "3"}
    session.save()
    Session.objects.filter(session_key=session.session_key).update(session_data="tampered:with")
    loaded = store(session.session_key)
    assert dict(loaded.items()) == {}
    assert loaded.session_key == session.session_key  # as Django's: the row is there, its data is not
    assert "Session data corrupted" in caplog.text


def saved(session_key):
    return store(session_key).load()  # as stored, read afresh


@pytest.mark.django_db(transaction=True)
def test_a_session_saved_in_a_transaction_is_committed_with_it_and_not_written_again_unless_it_changes():
    """Sending a response forgets the journey's answers in the response's own transaction: one commit
    instead of two (docs/decisions/0041). The middleware's save after the view then writes nothing."""
    session = store()
    session["journey"] = {"step": "9", "answers": ["a"]}
    session.save()
    sending = store(session.session_key)
    sending["journey"] = {}
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert sending.save_in_transaction()
    assert [s for s in statements(queries) if s != "BEGIN"] == ["UPDATE", "COMMIT"]
    assert saved(session.session_key)["journey"] == {}
    with CaptureQueriesContext(connection) as after:
        sending.save()  # the session middleware's, after the view
    assert statements(after) == []
    sending["journey"] = {"step": "1"}  # changed since: written as always
    with CaptureQueriesContext(connection) as changed:
        sending.save()
    assert statements(changed) == ["UPDATE"]
    assert saved(session.session_key)["journey"] == {"step": "1"}


@pytest.mark.django_db(transaction=True)
def test_a_session_saved_in_a_transaction_that_rolls_back_is_not_stored_and_is_saved_after():
    session = store()
    session["journey"] = {"step": "9"}
    session.save()
    sending = store(session.session_key)
    sending["journey"] = {}
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert sending.save_in_transaction()
        1 / 0  # noqa: B018 - the response's transaction fails after the session was written in it
    assert saved(session.session_key)["journey"] == {"step": "9"}
    sending.save()
    assert saved(session.session_key)["journey"] == {}


@pytest.mark.django_db(transaction=True)
def test_a_session_not_in_the_database_is_not_saved_in_a_transaction_but_after_as_always():
    fresh = store()
    fresh["a"] = 1
    with transaction.atomic():
        assert not fresh.save_in_transaction()  # no row yet: the middleware creates it
    session = store()
    session.save()
    stale = store(session.session_key)
    stale["a"] = 1
    Session.objects.all().delete()
    with transaction.atomic():
        assert not stale.save_in_transaction()
    with pytest.raises(UpdateError):  # as before: the middleware says the session was deleted
        stale.save()


@pytest.mark.django_db(transaction=True)
def test_saving_a_session_in_a_transaction_needs_one():
    session = store()
    session.save()
    session["a"] = 1
    with pytest.raises(TransactionManagementError):
        session.save_in_transaction()


@pytest.mark.django_db(transaction=True)
def test_a_session_saved_in_a_transaction_is_stored_as_djangos_own_encoding_stores_it():
    """Saved in a transaction, the session's data is serialized once and signed from that (docs/decisions/
    0044): the stored text is what Django's encode() gives, byte for byte, compressed or not, and its
    expiry as save() stores it."""
    for journey in ({}, {"answers": ["a"] * 200}):  # too short to compress, and compressed
        session = store()
        session["journey"] = {"step": "9"}
        session.save()
        sending = store(session.session_key)
        sending["journey"] = journey
        sending.set_expiry(3600)
        with transaction.atomic():
            assert sending.save_in_transaction()
        row = Session.objects.get(session_key=session.session_key)
        assert row.session_data == sending.encode(sending._get_session())
        assert row.session_data.startswith(".") == bool(journey)  # compressed only from COMPRESS_FROM_BYTES
        assert abs(row.expire_date - sending.get_expiry_date()) < dt.timedelta(seconds=5)
        assert store(session.session_key)["journey"] == journey


@pytest.mark.django_db(transaction=True)
def test_a_short_session_is_signed_uncompressed_and_a_long_one_compressed_and_django_reads_both():
    """zlib's set-up cost more than it saved on a session of a few hundred bytes (docs/decisions/0048):
    data shorter than COMPRESS_FROM_BYTES, serialized, is stored signed but not compressed, longer data
    compressed (Django's `.` mark), and both are read back, by this engine and by Django's own."""
    from django.contrib.sessions.backends.db import SessionStore as DjangosStore

    from common.sessions import COMPRESS_FROM_BYTES

    def session_of(serialized_length):
        session = store()
        session["x"] = ""
        padding = serialized_length - len(session.serializer().dumps({"x": ""}))
        session["x"] = "a" * padding  # compresses well: only the length decides
        assert len(session.serializer().dumps(session._get_session())) == serialized_length
        session.save()
        return session, Session.objects.get(session_key=session.session_key).session_data

    for length, compressed in ((COMPRESS_FROM_BYTES - 1, False), (COMPRESS_FROM_BYTES, True), (5000, True)):
        session, stored = session_of(length)
        assert stored.startswith(".") is compressed, length
        assert (len(stored) < length) is compressed
        assert store(session.session_key)["x"] == session["x"]
        assert DjangosStore(session.session_key)["x"] == session["x"]
        # Changed in a transaction, as sending saves it: the same rule.
        sending = store(session.session_key)
        sending["x"] = "a" * 10
        with transaction.atomic():
            assert sending.save_in_transaction()
        assert not Session.objects.get(session_key=session.session_key).session_data.startswith(".")
        assert DjangosStore(session.session_key)["x"] == "a" * 10


@pytest.mark.django_db(transaction=True)
def test_a_session_django_compressed_is_still_read():
    """Sessions stored before the rule above (every one compressed, Django's own encoding) read as before."""
    from django.contrib.sessions.backends.base import SessionBase

    session = store()
    session.save()
    short, long = {"journey": {"step": "3"}}, {"journey": {"step": "3", "answers": ["a"] * 20}}
    for data in (short, long):
        djangos = SessionBase.encode(session, data)
        assert djangos.startswith(".") is (data is long)  # Django compresses where that saves room
        Session.objects.filter(session_key=session.session_key).update(session_data=djangos)
        assert store(session.session_key)["journey"] == data["journey"]
