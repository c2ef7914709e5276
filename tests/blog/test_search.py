"""Search: words in any form, ranked, web-style syntax, highlighted snippets, public posts only.

The suite runs on SQLite (FTS5) and on PostgreSQL (tsvector); tests that look inside one
backend's index are skipped on the other.
"""

import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains

from blog import search
from blog.models import Post
from blog.services import posts_create_many

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def found(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return [post.title for post in response.context["page_obj"].object_list]


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
    assertContains(response, 'href="?q=kite&amp;page=2"')
    assertContains(client.get("/search/", {"q": "kite", "page": 2}), "12 results")


def test_words_are_found_in_any_form(client, post_factory):
    post_factory(title="A notebook", body="Paper.")
    post_factory(title="Walks", body="She was walking to the harbour.")
    assert found(client, "notebooks") == ["A notebook"]
    assert found(client, "walked") == ["Walks"]


def test_every_word_must_be_there_in_any_order(client, post_factory):
    post_factory(title="Sea", body="The harbour wall and the old boats.")
    post_factory(title="Land", body="The old wall.")
    assert found(client, "boats harbour") == ["Sea"]


def test_a_title_match_ranks_above_a_body_match(client, post_factory):
    post_factory(title="Harbour", body="Ropes.", published_at=search_time(days=30))
    post_factory(title="Ropes", body="Boats in the harbour, and more.")
    assert found(client, "harbour") == ["Harbour", "Ropes"]


def search_time(days):
    import datetime as dt

    from django.utils import timezone

    return timezone.now() - dt.timedelta(days=days)


def test_quotes_match_a_phrase(client, post_factory):
    post_factory(title="Together", body="The red boat sailed.")
    post_factory(title="Apart", body="The red car and a blue boat.")
    assert found(client, '"red boat"') == ["Together"]
    assert sorted(found(client, "red boat")) == ["Apart", "Together"]


def test_minus_leaves_a_word_out(client, post_factory):
    post_factory(title="Boats", body="Red sails.")
    post_factory(title="More boats", body="Blue sails.")
    assert found(client, "sails -blue") == ["Boats"]
    assert found(client, 'sails -"blue sails"') == ["Boats"]


def test_or_finds_either_word(client, post_factory):
    post_factory(title="Apples", body="Fruit.")
    post_factory(title="Pears", body="Fruit.")
    post_factory(title="Plums", body="Fruit.")
    assert sorted(found(client, "apples OR pears")) == ["Apples", "Pears"]


def test_snippets_highlight_the_words_found(client, post_factory):
    post_factory(title="Light", body="The keeper climbed the lighthouse at dusk.")
    response = client.get("/search/", {"q": "lighthouses"})
    [post] = response.context["page_obj"].object_list
    assert "<mark>lighthouse</mark>" in post.snippet
    assertContains(response, "<mark>lighthouse</mark> at dusk")


def test_snippets_are_escaped(client, post_factory):
    post_factory(
        title="Code",
        body="Write `<script>alert(1)</script>` near the lighthouse, as 5 &lt; 6 says. "
        "<script>alert(2)</script><img src=x onerror=alert(3)>",
    )
    response = client.get("/search/", {"q": "lighthouse"})
    [post] = response.context["page_obj"].object_list
    assert "<mark>lighthouse</mark>" in post.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in post.snippet
    assert "5 &lt; 6" in post.snippet
    assert "<script" not in post.snippet and "<img" not in post.snippet
    assertNotContains(response, "<script>alert")


def test_highlight_escapes_everything_but_balanced_marks():
    text = f"<b>x</b> {search.STOP}a{search.START}{search.START}b &amp; c"
    assert search.highlight(text) == "&lt;b&gt;x&lt;/b&gt; a<mark>b &amp;amp; c</mark>"
    assert search.highlight(text, from_html=True) == "&lt;b&gt;x&lt;/b&gt; a<mark>b &amp; c</mark>"


def test_drafts_and_scheduled_posts_are_never_found(client, post_factory):
    post_factory(title="Zeppelin public", body="Airship.")
    post_factory(title="Zeppelin draft", body="Airship.", draft=True)
    post_factory(title="Zeppelin scheduled", body="Airship.", scheduled=True)
    assert found(client, "zeppelin") == ["Zeppelin public"]
    assert found(client, "airship OR zeppelin") == ["Zeppelin public"]


def test_an_edited_post_is_found_by_its_new_words_only(client, post_factory):
    post = post_factory(title="Apples", body="Orchard.")
    post.title, post.body = "Oranges", "Grove."
    post.save()
    assert found(client, "oranges grove") == ["Oranges"]
    assert found(client, "apples") == [] and found(client, "orchard") == []


def test_a_post_made_in_bulk_is_found(client, author):
    posts_create_many(
        posts=[
            Post(title=f"Bulk {n}", slug=f"bulk-{n}", author=author, body="Kayaks.",
                 status=Post.Status.PUBLISHED, published_at=search_time(days=1))
            for n in range(3)
        ]
    )  # fmt: skip
    assert sorted(found(client, "kayak")) == ["Bulk 0", "Bulk 1", "Bulk 2"]


def test_labels_are_found_when_added_removed_and_renamed(client, post_factory):
    post = post_factory(title="Tea", body="Steeping.")
    post.tags.add("Matcha")
    assert found(client, "matcha") == ["Tea"]
    tag = post.tags.get()
    tag.name = "Sencha"
    tag.save()
    assert found(client, "sencha") == ["Tea"] and found(client, "matcha") == []
    post.tags.clear()
    assert found(client, "sencha") == []


def test_a_deleted_post_leaves_no_trace_in_the_index(client, post_factory):
    post_factory(title="Ghost", body="Gone.").delete()
    Post.objects.filter(title="Ghost").delete()
    assert found(client, "ghost") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search.FTS5_TABLE}")
            assert cursor.fetchone() == (0,)


HOSTILE = [
    '"',
    '"unbalanced',
    'lighthouse"',
    '""',
    "-",
    "--",
    "- lighthouse",
    "-lighthouse",
    "OR",
    "OR OR",
    "lighthouse OR",
    "OR lighthouse",
    "NOT",
    "AND lighthouse",
    "NEAR(lighthouse keeper)",
    "title:lighthouse",
    "lighthouse*",
    "^lighthouse",
    "(lighthouse",
    "lighthouse)",
    "light\x00house",
    "\x00",
    "a" * 5000,
    "lighthouse " * 100,
    "😀",
    "lighthouse 😀🏳️‍🌈",
    "منارة البحر",
    "מגדלור",
    "Ünïcödé ﬁ ß",
    "'; DROP TABLE blog_post; --",
    "1' OR '1'='1",
    "\\",
    "%_",
    ":*",
    "!lighthouse & keeper | lamp",
    "<script>alert(1)</script>",
    "\u202eevil",
    "\ue000x\ue001",
]


def test_the_search_itself_strips_nul_and_control_characters():
    assert search.clean_query(" light\x00house\t\x07 ") == "light house"


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(client, searchable, query):
    response = client.get("/search/", {"q": query, "page": "-1"})
    if "\x00" in query:  # Refused before any view by config.middleware, as PostgreSQL would.
        assert response.status_code == 400
        return
    assert response.status_code == 200
    assert len(response.context["query"]) <= search.MAX_QUERY_LENGTH


def test_a_search_costs_a_fixed_number_of_queries(
    client, post_factory, django_assert_max_num_queries
):
    for n in range(25):
        post_factory(title=f"Kite {n}", body="Wind.", tags=["Air", "Sky"])
    client.get("/robots.txt")  # The due time is read once per write, by the first request.
    for params in ({"q": "kite"}, {"q": "kite", "page": 3}, {"q": "wind -nothing"}):
        with django_assert_max_num_queries(6):
            assert client.get("/search/", params).status_code == 200


def test_results_are_bounded(client, post_factory, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 15)
    monkeypatch.setattr("blog.views.MAX_RESULTS", 15)
    for n in range(20):
        post_factory(title=f"Kite {n}")
    response = client.get("/search/", {"q": "kite"})
    assertContains(response, "The best of the 15 newest results for “kite”")
    assert response.context["page_obj"].paginator.num_pages == 2
    assert len(found(client, "kite", page=99)) == 5  # Past the end: the last page.


# --- Inside the backends -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("notebooks", '("notebooks")'),
        ('"red boat" sails', '("red boat" AND "sails")'),
        ("sails -blue", '(("sails") NOT "blue")'),
        ("a OR b c", '("a") OR ("b" AND "c")'),
        ('say "hi""', '("say" AND "hi")'),
        ('x"y', '("x""y")'),
        ("title:x NEAR(y)", '("title:x" AND "NEAR(y)")'),
        ("-x OR", ""),
        ("OR - 😀", ""),
    ],
)
def test_fts5_expressions_quote_every_term(query, expression):
    assert search.fts5_expression(search.parse(query)) == expression


@pytest.mark.parametrize(
    ("language", "override", "config"),
    [("en-us", "", "english"), ("de", "", "german"), ("pt-br", "", "portuguese"),
     ("xx", "", "simple"), ("en", "simple", "simple")],
)  # fmt: skip
def test_the_text_search_config_follows_the_language(settings, language, override, config):
    settings.LANGUAGE_CODE, settings.QUIRE_SEARCH_CONFIG = language, override
    assert search.search_config() == config


@on_postgresql
def test_postgresql_keeps_a_weighted_vector(post_factory):
    post = post_factory(title="Notebooks", body="Ink.", tags=["Paper"])
    vector = Post.objects.values_list("search_vector", flat=True).get(pk=post.pk)
    assert "'notebook':1A" in vector and "'paper':2B" in vector and "'ink':3C" in vector


@on_postgresql
def test_postgresql_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'blog_post_search_vector'"
        )
        assert "USING gin (search_vector)" in cursor.fetchone()[0]


@on_sqlite
def test_sqlite_keeps_an_fts5_row_per_post(post_factory):
    post = post_factory(title="Notebooks", body="Ink &amp; *paper*.", tags=["Paper"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT title, labels, body FROM {search.FTS5_TABLE} WHERE rowid = %s", [post.pk]
        )
        assert cursor.fetchone() == ("Notebooks", "Paper", "Ink & paper.")


@on_sqlite
def test_without_fts5_every_word_is_matched_and_the_log_says_so_once(
    client, post_factory, monkeypatch, caplog
):
    post_factory(title="Sea notes", body="The harbour wall.")
    post_factory(title="Land notes", body="A wall.")
    monkeypatch.setattr(search, "fts5_available", lambda: False)
    search.backend.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="blog.search"):
            assert found(client, "wall harbour") == ["Sea notes"]
            assert found(client, "wall -harbour") == ["Land notes"]
        assert sum("icontains" in record.message for record in caplog.records) == 1
    finally:
        search.backend.cache_clear()


def test_reindex_search_rebuilds_every_post(client, post_factory):
    post = post_factory(title="Stale", body="Text.")
    Post.objects.filter(pk=post.pk).update(title="Fresh")  # An update() bypasses the index.
    call_command("reindex_search", stdout=io.StringIO())
    assert found(client, "fresh") == ["Fresh"]
