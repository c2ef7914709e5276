"""A database that goes away costs readers the designed error page, briefly, and no more."""

import time

import pytest
from django.db import connection

from tests.factories import PostFactory
from tests.ports import closed_port


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_fails_fast_and_the_site_recovers_by_itself(client, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server to take away: run with DATABASE_URL=postgres://…")
    settings.QUIRE_PAGE_CACHE = False  # The page cache would hide the outage from readers.
    post = PostFactory(title="Still here")
    client.raise_request_exception = False
    real = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    try:
        started = time.monotonic()
        response = client.get(post.get_absolute_url())
        assert response.status_code == 500
        assert "Something went wrong on our side" in response.content.decode()
        assert time.monotonic() - started < 5
    finally:
        connection.close()
        connection.settings_dict.update(HOST=real["HOST"], PORT=real["PORT"])

    # The server is back: the next request reconnects, with nobody restarting Quire.
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Still here" in response.content.decode()
