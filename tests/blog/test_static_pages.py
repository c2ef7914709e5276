"""Standing pages such as About, and the navigation that links them."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


def test_static_page_and_navigation(client, page_factory):
    page_factory(title="About", slug="about", body="I write *slowly*.")
    response = client.get("/p/about/")
    assertContains(response, "<title>About · Quire</title>", html=True)
    assertContains(response, "<p>I write <em>slowly</em>.</p>", html=True)
    assertContains(client.get("/"), '<li><a href="/p/about/">About</a></li>', html=True)


def test_unpublished_page_is_404_and_not_in_navigation(client, page_factory):
    page_factory(title="Secret", slug="secret", is_published=False)
    assert client.get("/p/secret/").status_code == 404
    assertNotContains(client.get("/"), "Secret")
