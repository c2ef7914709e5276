"""Label pages, and labels as the post listings show them."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse, set_script_prefix
from pytest_django.asserts import assertContains, assertNotContains

from blog.templatetags.blog_tags import tag_path
from tests.pages import NEWER_LINK, OLDER_LINK, titles_by_page, walk_pages

from .conftest import OCT_23

pytestmark = pytest.mark.django_db


def test_tag_page_lists_only_posts_with_that_label(client, post_factory):
    post_factory(title="Espresso", tags=["Café"])
    post_factory(title="Green tea", tags=["Tea"])

    response = client.get("/tag/café/")

    assertContains(response, "<title>Posts labelled “Café” · Quire</title>", html=True)
    assertContains(response, "Espresso")
    assertNotContains(response, "Green tea")
    assertContains(
        response,
        '<link rel="alternate" type="application/atom+xml" title="Café (Atom)" '
        'href="/tag/caf%C3%A9/feed/">',
        html=True,
    )


def test_unicode_tag_page(client, post_factory):
    post_factory(title="Kanji", tags=["日本語"])
    assertContains(client.get("/tag/日本語/"), "Kanji")


def test_unknown_tag_is_404(client):
    assert client.get("/tag/nothing/").status_code == 404


def test_tag_pages_walk_every_labelled_post_once(client, post_factory):
    labelled = []
    for n in range(23):
        published_at = OCT_23 - dt.timedelta(hours=n // 3)
        post = post_factory(title=f"Post {n:02d}", published_at=published_at, tags=["Sea"])
        labelled.append(post)
        post_factory(title=f"Other {n:02d}", published_at=published_at, tags=["Land"])
    post_factory(title="Tomorrow", scheduled=True, tags=["Sea"])
    newest_first = [
        post.title for post in sorted(labelled, key=lambda p: (p.published_at, p.pk), reverse=True)
    ]

    older = walk_pages(client, "/tag/sea/", OLDER_LINK)
    older_pages = titles_by_page(older)
    assert older[-1].url.startswith("/tag/sea/?before=")
    assert [len(page) for page in older_pages] == [10, 10, 3]
    assert sum(older_pages, []) == newest_first

    newer_pages = titles_by_page(walk_pages(client, older[-1].url, NEWER_LINK))
    assert newer_pages == older_pages[::-1]


def test_a_label_without_letters_from_outside_the_admin_is_shown_unlinked(client, post_factory):
    post = post_factory(tags=["🙂", "Café"])

    for url in ("/", post.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assertContains(response, "🙂")
        assertContains(response, 'href="/tag/caf%C3%A9/"')


@pytest.mark.parametrize("slug", ["walking", "é-café", "a b", "x%y", "q?z#", "日本", "o'k&"])
@pytest.mark.parametrize("prefix", ["/", "/blog/"])
def test_a_labels_path_is_what_reverse_makes_of_it(slug, prefix):
    set_script_prefix(prefix)
    try:
        assert tag_path(SimpleNamespace(slug=slug)) == reverse(
            "blog:tag_detail", kwargs={"slug": slug}
        )
    finally:
        set_script_prefix("/")
