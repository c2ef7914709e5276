"""A post's own page: what a reader sees, its neighbours, and its head for machines."""

import datetime as dt
import json
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from .conftest import OCT_23, date_header, image_upload

pytestmark = pytest.mark.django_db


def test_post_page_shows_everything_a_reader_needs(client, post_factory):
    post = post_factory(
        title="The harbour",
        published_at=OCT_23,
        body="First paragraph.\n\n" + "word " * 500,
        tags=["Sea"],
        cover=image_upload("harbour.png", 1000, 500),
        cover_alt="Boats at dusk",
        comment_count=1,
    )

    response = client.get(post.get_absolute_url())

    assertTemplateUsed(response, "blog/post_detail.html")
    # On its own page the date is not a heading: the title is the page's first heading.
    assertContains(response, date_header(OCT_23, tag="p"), html=True)
    assertContains(response, '<h1 class="post-title p-name">The harbour</h1>', html=True)
    assertContains(response, "By Ada Winter")
    assertContains(response, "3 min read")
    assertContains(response, "<p>First paragraph.</p>", html=True)
    assertContains(response, 'href="/tag/sea/" rel="tag">Sea</a>')
    assertContains(response, 'id="comments"')
    assertContains(response, "1 comment:")
    # The cover: AVIF or WebP where the browser takes them, PNG as it came; its size held.
    assertContains(
        response,
        f'<img src="{post.cover_960.url}" srcset="{post.rendition_srcset()}" '
        'sizes="(max-width: 44rem) 100vw, 44rem" width="1000" height="500" alt="Boats at dusk" '
        'fetchpriority="high" decoding="async">',
        html=True,
    )
    assert post.cover_960.url.endswith(".png")
    assertContains(response, f'<source type="image/webp" srcset="{post.rendition_srcset("WEBP")}"')


def test_post_page_links_its_newer_and_older_neighbours(client, post_factory):
    older = post_factory(title="Older one", excerpt="Before.", published_at=OCT_23)
    post = post_factory(title="Middle", published_at=OCT_23 + dt.timedelta(days=1))
    newer = post_factory(title="Newer one", excerpt="After.", published_at=OCT_23 + dt.timedelta(2))

    response = client.get(post.get_absolute_url())

    assertContains(response, f'<a href="{newer.get_absolute_url()}" rel="prev">Newer one</a>')
    assertContains(response, "<p>After.</p>", html=True)
    assertContains(response, f'<a href="{older.get_absolute_url()}" rel="next">Older one</a>')
    assertContains(response, "<p>Before.</p>", html=True)


def test_neighbours_published_at_the_same_moment_are_both_reachable(client, post_factory):
    first = post_factory(title="First twin", published_at=OCT_23)
    second = post_factory(title="Second twin", published_at=OCT_23)

    assertContains(client.get(first.get_absolute_url()), "Second twin")
    assertContains(client.get(second.get_absolute_url()), "First twin")


def test_first_and_last_posts_have_one_neighbour(client, post_factory):
    only = post_factory(title="Alone")
    response = client.get(only.get_absolute_url())
    assertNotContains(response, "Newer post")
    assertNotContains(response, "Older post")


def test_closed_comments_are_announced(client, post_factory):
    post = post_factory(allow_comments=False)
    assertContains(client.get(post.get_absolute_url()), "Comments are closed for this post.")


@pytest.mark.parametrize(
    "url",
    [
        "/2024/11/the-post/",  # wrong month
        "/2023/10/the-post/",  # wrong year
        "/2024/10/no-such-post/",
        "/2024/13/the-post/",
        "/2024/00/the-post/",
        "/9999/12/the-post/",
        "/0/10/the-post/",
    ],
)
def test_post_at_the_wrong_address_is_404(client, post_factory, url):
    post_factory(slug="the-post", published_at=OCT_23)
    assert client.get(url).status_code == 404


def test_unicode_title_and_slug(client, post_factory):
    post = post_factory(title="日本語のタイトル", slug="日本語", tags=["日本語"])
    response = client.get(post.get_absolute_url())
    assertContains(response, "<title>日本語のタイトル · Quire</title>", html=True)


def test_very_long_title_is_shown_whole(client, post_factory):
    title = "Long " * 39 + "end."
    post = post_factory(title=title)
    assertContains(client.get(post.get_absolute_url()), title)
    assertContains(client.get("/"), title)


HTML_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?$")


def test_time_elements_carry_datetimes_that_html_accepts(client, post_factory):
    # HTML allows at most milliseconds; Django's "c" format would print microseconds.
    post = post_factory(published_at=dt.datetime(2024, 10, 23, 9, 30, 15, 123456, tzinfo=dt.UTC))
    for url in ("/", post.get_absolute_url()):
        values = re.findall(r'<time datetime="([^"]+)"', client.get(url).content.decode())
        assert values
        assert all(HTML_DATETIME.match(value) for value in values), values


def test_post_head_has_title_description_canonical_and_social_tags(client, post_factory):
    post = post_factory(title="Tides", excerpt="On the moon and the sea.", tags=["Sea"])
    response = client.get(post.get_absolute_url())
    url = f"http://testserver{post.get_absolute_url()}"

    assertContains(response, "<title>Tides · Quire</title>", html=True)
    assertContains(response, '<meta name="description" content="On the moon and the sea.">')
    assertContains(response, f'<link rel="canonical" href="{url}">', html=True)
    assertContains(response, '<meta property="og:type" content="article">', html=True)
    assertContains(response, '<meta property="og:title" content="Tides">', html=True)
    assertContains(response, f'<meta property="og:url" content="{url}">', html=True)
    assertContains(response, '<meta property="article:tag" content="Sea">', html=True)
    assertContains(response, '<meta name="twitter:card" content="summary">', html=True)
    assertContains(response, '<meta name="twitter:title" content="Tides">', html=True)


def test_cover_makes_a_large_social_card(client, post_factory):
    post = post_factory(cover=image_upload(), cover_alt="Red")
    response = client.get(post.get_absolute_url())
    assertContains(response, '<meta name="twitter:card" content="summary_large_image">', html=True)
    assertContains(
        response, f'<meta property="og:image" content="http://testserver{post.cover_960.url}">'
    )


def json_ld(response):
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def test_post_has_blogposting_json_ld(client, post_factory):
    post = post_factory(title="Tides", published_at=OCT_23, tags=["Sea", "Moon"])
    data = json_ld(client.get(post.get_absolute_url()))
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Tides"
    assert data["datePublished"] == "2024-10-23T09:00:00+00:00"
    assert data["author"] == {"@type": "Person", "name": "Ada Winter"}
    assert data["mainEntityOfPage"] == f"http://testserver{post.get_absolute_url()}"
    assert sorted(data["keywords"]) == ["Moon", "Sea"]


def test_a_title_cannot_break_out_of_the_json_ld_script(client, post_factory):
    title = '</script><script>alert("x")</script> & <!--'
    post = post_factory(title=title, excerpt="</SCRIPT>")
    response = client.get(post.get_absolute_url())

    content = response.content.decode()
    assert "<script>alert" not in content
    # Ours alone: the JSON-LD and comment-form.js.
    assert content.lower().count("</script>") == 2
    assert json_ld(response)["headline"] == title


def test_a_post_has_one_address_not_another_with_the_month_unpadded(client, post_factory):
    post = post_factory(published_at=dt.datetime(2024, 8, 5, 12, tzinfo=dt.UTC))
    assert post.get_absolute_url().startswith("/2024/08/")
    assert client.get(post.get_absolute_url()).status_code == 200
    assert client.get(post.get_absolute_url().replace("/08/", "/8/")).status_code == 404
