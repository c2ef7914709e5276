import pytest

from tests.factories import PageFactory, PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages from one test must not leak into the next; nor a cache one
    test broke (an invalidation owed, a Redis left alone for a second)."""
    from django.core.cache import caches

    from blog.publishing import owed
    from caching.backends import unreachable_until

    for cache in caches.all():
        cache.clear()
    yield
    owed.clear()
    unreachable_until.clear()
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def author(db):
    return UserFactory(username="author", is_staff=True, is_superuser=True)


@pytest.fixture
def moderator(db):
    """Staff in the Moderators group (made by a migration): they moderate, they do not write."""
    from django.contrib.auth.models import Group

    user = UserFactory(username="mona", email="mona@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def announcements():
    """The posts blog.publishing.post_published was sent for, in order."""
    from blog import publishing

    sent = []

    def receiver(sender, post, **kwargs):
        sent.append(post.pk)

    publishing.post_published.connect(receiver)
    yield sent
    publishing.post_published.disconnect(receiver)


@pytest.fixture
def post_factory(db):
    return PostFactory


@pytest.fixture
def page_factory(db):
    return PageFactory


@pytest.fixture
def user_factory(db):
    return UserFactory
