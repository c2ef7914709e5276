import pytest

from tests.factories import PageFactory, PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages from one test must not leak into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def author(db):
    return UserFactory(username="author", is_staff=True, is_superuser=True)


@pytest.fixture
def post_factory(db):
    return PostFactory


@pytest.fixture
def page_factory(db):
    return PageFactory


@pytest.fixture
def user_factory(db):
    return UserFactory
