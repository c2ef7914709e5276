"""Text no XML can carry, in posts and comments, never breaks a feed or a page."""

from xml.etree import ElementTree

import pytest

from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

HOSTILE = "Bell \x07, vertical tab \x0b, unit separator \x1f and \ufffe end"


@pytest.fixture
def hostile_post(db):
    post = PostFactory(title=HOSTILE, body=f"Body: {HOSTILE}", excerpt=HOSTILE, tags=[HOSTILE])
    CommentFactory(post=post, text=HOSTILE, name=HOSTILE)
    return post


@pytest.mark.parametrize(
    "path",
    ["/feed/", "/feed/rss/", "/comments/feed/", "comments-post-feed", "tag-feed", "tag-rss"],
)
def test_feeds_stay_well_formed_xml(client, hostile_post, path):
    tag = hostile_post.tags.first()
    path = {
        "comments-post-feed": f"/comments/feed/{hostile_post.pk}/",
        "tag-feed": f"/tag/{tag.slug}/feed/",
        "tag-rss": f"/tag/{tag.slug}/feed/rss/",
    }.get(path, path)
    response = client.get(path)
    assert response.status_code == 200, path
    root = ElementTree.fromstring(response.content)
    text = "".join(root.itertext())
    assert "Bell , vertical tab , unit separator  and  end" in text


def test_pages_show_the_post(client, hostile_post):
    for path in ("/", hostile_post.get_absolute_url(), "/sitemap.xml"):
        assert client.get(path).status_code == 200, path
