import pytest
from django.contrib.auth.models import Permission

from tests.factories import PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _blog_in_paris(settings):
    """A blog whose zone is not UTC, so a time read or shown in the wrong zone shows."""
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture
def admin_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def staff_client(admin_client):
    """The revision tests' name for the author's logged-in client."""
    return admin_client


@pytest.fixture
def viewer(db):
    """Staff who may read posts in the admin but not change them."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_post"))
    return user


@pytest.fixture
def draft(db):
    return PostFactory(title="Harbour notes", body="First light.\n\nThen coffee.", draft=True)
