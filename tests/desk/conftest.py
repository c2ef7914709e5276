import pytest
from django.contrib.auth.models import Permission

from tests.factories import PostFactory, UserFactory


@pytest.fixture
def staff_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def viewer(db):
    """Staff who may read posts in the admin but not change them."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_post"))
    return user


@pytest.fixture
def draft(db):
    return PostFactory(title="Harbour notes", body="First light.\n\nThen coffee.", draft=True)
