"""Password guessing at the admin login stops after a few tries, on every app server."""

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def author(db):
    return UserFactory(username="author", is_staff=True, is_superuser=True)


def log_in(client, password, address="203.0.113.9"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "author", "password": password},
        REMOTE_ADDR=address,
    )


def test_the_address_is_locked_out_after_the_failure_limit(client, author, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert log_in(client, "guess").status_code == 429  # The last guess allowed.

    locked = log_in(client, PASSWORD)  # Even the right password, from that address.
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # The lockout is kept in the database that every server shares, not in this process.
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()


def test_another_address_can_still_log_in(client, author, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "guess")
    response = log_in(client, PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_success_before_the_limit_forgets_the_failures(client, author, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 302


def test_the_owner_can_lift_a_lockout(client, author, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "guess")
    call_command("axes_reset", verbosity=0)
    assert log_in(client, PASSWORD).status_code == 302


def test_a_username_longer_than_any_account_is_a_failed_login_not_an_error(client, author):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "a" * 1000, "password": "guess"},
        REMOTE_ADDR="203.0.113.10",
    )
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
