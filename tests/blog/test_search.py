"""Search: titles, bodies and labels, paginated with the query kept."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


@pytest.fixture
def searchable(post_factory):
    post_factory(title="On lighthouses", body="Keepers and lamps.")
    post_factory(title="Bread", body="Flour, water and a lighthouse-shaped loaf.")
    post_factory(title="Tea", body="Steeping.", tags=["Kyoto"])
    post_factory(title="日本語の本", body="読書")


def test_search_finds_titles_and_bodies(client, searchable):
    response = client.get("/search/", {"q": "lighthouse"})
    assertContains(response, "2 results for “lighthouse”")
    assertContains(response, "On lighthouses")
    assertContains(response, "Bread")
    assertNotContains(response, "Steeping")
    assertContains(response, '<meta name="robots" content="noindex">', html=True)


def test_search_finds_labels(client, searchable):
    response = client.get("/search/", {"q": "kyoto"})
    assertContains(response, "1 result for “kyoto”")
    assertContains(response, "Tea")


def test_search_unicode(client, searchable):
    assertContains(client.get("/search/", {"q": "日本語"}), "日本語の本")


def test_search_without_results_says_so(client, searchable):
    response = client.get("/search/", {"q": "zeppelin"})
    assertContains(response, "0 results for “zeppelin”")
    assertContains(response, "No posts match your search.")


def test_empty_search_shows_only_the_form(client, searchable):
    response = client.get("/search/", {"q": "   "})
    assertContains(response, '<label for="search-q">')
    assertNotContains(response, "results for")


def test_search_escapes_the_query(client, searchable):
    response = client.get("/search/", {"q": "<b>bold</b>"})
    assertContains(response, "for “&lt;b&gt;bold&lt;/b&gt;”")
    assertNotContains(response, "<b>bold</b>")


def test_very_long_search_is_cut_to_200_characters(client, searchable):
    response = client.get("/search/", {"q": "lighthouse" + "x" * 5000})
    assert response.status_code == 200
    assert response.context["query"] == "lighthouse" + "x" * 190


def test_search_pagination_keeps_the_query(client, post_factory):
    for n in range(12):
        post_factory(title=f"Kite {n}")
    response = client.get("/search/", {"q": "kite"})
    assertContains(response, 'href="?q=kite&amp;page=2"')  # Search keeps its count and pages.
    assertContains(client.get("/search/", {"q": "kite", "page": 2}), "12 results")
