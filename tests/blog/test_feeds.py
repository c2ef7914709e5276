import datetime as dt
import html
import re
import xml.etree.ElementTree as ET

import pytest
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OCT_23 = dt.datetime(2024, 10, 23, 9, 0, tzinfo=dt.UTC)


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_atom_feed_lists_newest_posts_with_content_labels_and_author(client, post_factory):
    post_factory(title="Older", published_at=OCT_23 - dt.timedelta(days=1))
    post = post_factory(
        title="Café & 日本語",
        slug="cafe",
        published_at=OCT_23,
        body="Hello *world*.\n\n<script>alert(1)</script>",
        tags=["Café", "Sea"],
    )

    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)

    assert feed.find(f"{ATOM}title").text == "Quire"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Café & 日本語", "Older"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == (
        f"http://127.0.0.1:8000{post.get_absolute_url()}"
    )
    assert first.find(f"{ATOM}published").text == "2024-10-23T09:00:00+00:00"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Ada Winter"
    assert sorted(c.get("term") for c in first.findall(f"{ATOM}category")) == ["Café", "Sea"]
    summary = first.find(f"{ATOM}summary").text
    assert "<em>world</em>" in summary
    assert "script" not in summary


def test_rss_feed(client, post_factory):
    post_factory(title="Tides", tags=["Sea"])
    response = client.get("/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response).find("channel")
    assert channel.find("title").text == "Quire"
    assert channel.find("description").text == (
        "Essays and notes, written slowly and published with care."
    )
    item = channel.find("item")
    assert item.find("title").text == "Tides"
    assert item.find("category").text == "Sea"


def test_feed_holds_the_newest_twenty(client, post_factory):
    for n in range(25):
        post_factory(title=f"Post {n:02d}", published_at=OCT_23 - dt.timedelta(days=n))
    entries = parse(client.get("/feed/")).findall(f"{ATOM}entry")
    assert len(entries) == 20
    assert entries[0].find(f"{ATOM}title").text == "Post 00"
    assert entries[-1].find(f"{ATOM}title").text == "Post 19"


def test_empty_blog_has_a_valid_empty_feed(client):
    assert parse(client.get("/feed/")).findall(f"{ATOM}entry") == []
    assert parse(client.get("/feed/rss/")).find("channel").findall("item") == []


@pytest.mark.parametrize("url", ["/tag/café/feed/", "/tag/café/feed/rss/"])
def test_tag_feed_has_only_that_label(client, post_factory, url):
    post_factory(title="Espresso", tags=["Café"])
    post_factory(title="Green tea", tags=["Tea"])
    content = client.get(url).content.decode()
    assert "Espresso" in content
    assert "Green tea" not in content
    assert "posts labelled Café" in content


@pytest.mark.parametrize("url", ["/tag/nothing/feed/", "/tag/nothing/feed/rss/"])
def test_feed_for_unknown_tag_is_404(client, url):
    assert client.get(url).status_code == 404


def test_feeds_are_linked_from_every_page(client, post_factory, page_factory):
    post = post_factory(tags=["Sea"])
    page_factory(slug="about")
    year = f"/{post.published_at.year}/"
    for url in ["/", post.get_absolute_url(), "/tag/sea/", "/archive/", "/search/?q=x",
                "/p/about/", year, "/no-such-page/"]:  # fmt: skip
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html, url
        assert 'type="application/rss+xml" title="Quire (RSS)" href="/feed/rss/">' in html, url
    assertContains(client.get("/tag/sea/"), 'href="/tag/sea/feed/"')


def test_sitemap_lists_posts_pages_and_the_home_page(client, post_factory, page_factory):
    post = post_factory(slug="tides", published_at=OCT_23)
    page_factory(slug="about")

    urlset = parse(client.get("/sitemap.xml"))
    entries = {
        u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod")
        for u in urlset.iter(f"{SITEMAP}url")
    }
    assert set(entries) == {
        "http://127.0.0.1:8000/2024/10/tides/",
        "http://127.0.0.1:8000/p/about/",
        "http://127.0.0.1:8000/",
        "http://127.0.0.1:8000/archive/",
    }
    post_lastmod = entries["http://127.0.0.1:8000/2024/10/tides/"].text
    assert post_lastmod == post.updated_at.date().isoformat()


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    # Where sitemap.xml itself says the pages are (QUIRE_DOMAIN), not the host asked.
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines


def test_robots_txt_names_the_sites_own_domain_whatever_host_was_asked(client, settings):
    settings.ALLOWED_HOSTS = ["blog.example.com", "203.0.113.5"]
    settings.QUIRE_DOMAIN = "blog.example.com"
    response = client.get("/robots.txt", HTTP_HOST="203.0.113.5", secure=True)
    assert "Sitemap: https://blog.example.com/sitemap.xml" in response.content.decode()


def test_feed_content_has_only_absolute_addresses(client, post_factory):
    """Feed readers and mail clients show a post away from the site: relative links die there."""
    post = post_factory(
        title="With links",
        body="See [the map](/2020/01/the-map/) and a note.[^1]\n\n![A tree](/media/tree.png)\n\n"
        "[^1]: The note.",
    )
    from django.contrib.sites.models import Site

    site = f"http://{Site.objects.get_current().domain}"  # As the feed's own links have it.
    base = f"{site}{post.get_absolute_url()}"
    for path in ("/feed/", "/feed/rss/"):
        content = html.unescape(client.get(path).content.decode())
        assert f'href="{site}/2020/01/the-map/"' in content, path
        assert f'src="{site}/media/tree.png"' in content, path
        assert f'href="{base}#fn' in content, path
        assert not re.search(r'(?:href|src)="(?:/|#)', content), path
