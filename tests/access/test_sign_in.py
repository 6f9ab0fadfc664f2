"""Sign-in a council's IT security team would accept: throttling per account and per address, password
rules, staff sessions that end when idle, and password reset by email."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from access.middleware import LAST_ACTIVITY
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LOGIN = "/accounts/login/"


def sign_in(client, username: str, password: str, address: str = "192.0.2.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_five_failures_even_from_different_addresses(client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    staff_member("officer", password=PASSWORD)
    for attempt in range(4):
        page = sign_in(client, "officer", "wrong password", address=f"198.51.100.{attempt}")
        assert page.status_code == 200 and "Enter a correct username and password" in page.text
    locked = sign_in(client, "officer", "wrong password", address="198.51.100.99")
    assert locked.status_code == 429 and "Too many attempts to sign in" in locked.text
    # The right password no longer works either, from anywhere, until the lock-out ends.
    assert sign_in(client, "officer", PASSWORD, address="203.0.113.5").status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15 minutes" in sign_in(client, "officer", PASSWORD, address="203.0.113.6").text


def test_an_address_is_locked_after_five_failures_on_any_accounts(client):
    staff_member("officer", password=PASSWORD)
    staff_member("viewer", role="Viewer", password=PASSWORD)
    for name in ["alice", "bob", "carol", "dave", "erin"]:
        sign_in(client, name, "guess", address="192.0.2.66")
    assert sign_in(client, "officer", PASSWORD, address="192.0.2.66").status_code == 429
    # Others, elsewhere, are not affected.
    assert sign_in(client, "viewer", PASSWORD, address="192.0.2.67").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client):
    staff_member("officer", password=PASSWORD)
    for _ in range(4):
        sign_in(client, "officer", "wrong password")
    assert sign_in(client, "officer", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "officer", "wrong password")
    assert sign_in(client, "officer", PASSWORD).status_code == 302


def test_passwords_must_be_long_and_not_common(client):
    user = staff_member("officer", password=PASSWORD)
    client.force_login(user)
    url = reverse("password_change")
    for weak, message in [
        ("short1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ]:
        page = client.post(url, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak})
        assert page.status_code == 200 and message in page.text and "<title>Error:" in page.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    good = "moss bicycle lantern harbour"
    assert client.post(url, {"old_password": PASSWORD, "new_password1": good, "new_password2": good}).status_code == 302


def test_a_staff_session_ends_after_the_idle_time_and_says_why(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client.force_login(staff_member("officer"))
    assert client.get("/officers/").status_code == 200
    session = client.session
    assert session.get_expiry_age() == 30 * 60
    session[LAST_ACTIVITY] = time.time() - 31 * 60
    session.save()
    page = client.get("/officers/", follow=True)
    assert page.redirect_chain[-1][0].startswith(LOGIN + "?next=/officers/")
    assert "You were signed out because you had not done anything for 30 minutes." in page.text
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_staff_session_going(client):
    client.force_login(staff_member("officer"))
    client.get("/officers/")
    session = client.session
    session[LAST_ACTIVITY] = time.time() - 29 * 60
    session.save()
    assert client.get("/officers/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY] < 60


def test_password_reset_by_email(client):
    staff_member("officer", password=PASSWORD)
    page = client.post(reverse("password_reset"), {"email": "officer@example.gov.uk"}, follow=True)
    assert "Check your email" in page.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.gov.uk"] and "Trafford Council" in message.subject
    assert "officer" in message.body and "24 hours" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    new = "moss bicycle lantern harbour"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert "Your password has been changed" in done.text
    assert sign_in(client, "officer", new).status_code == 302
    # The link works once.
    client.logout()
    assert "This link has expired or been used" in client.get(link, follow=True).text


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    page = client.post(reverse("password_reset"), {"email": "nobody@example.gov.uk"}, follow=True)
    assert "Check your email" in page.text
    assert mail.outbox == []
