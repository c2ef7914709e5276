import pytest


@pytest.fixture(autouse=True)
def _blog_in_paris(settings):
    """A blog whose zone is not UTC, so a time read or shown in the wrong zone shows."""
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture
def admin_client(client, author):
    client.force_login(author)
    return client
