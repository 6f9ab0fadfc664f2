"""Sessions are saved in one statement to the same table (common/sessions.py, SESSION_ENGINE): every page of
a resident's journey changes the session, and BEGIN and COMMIT around its UPDATE were two more round trips
to the database on each."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


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
