"""WordPress addresses a moved blog still gets asked for: child categories, ?cat= and ?tag=,
day archives and each post's feed."""

import pytest

from blog.models import Post

from .conftest import run, wxr, wxr_item


def category(term_id, slug, name, parent=""):
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename>{slug}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
    )


TERMS = (
    category(3, "travel", "Travel")
    + category(7, "alps", "Alps", parent="travel")
    + category(9, "huts", "Huts", parent="alps")
    + "<wp:tag><wp:term_id>12</wp:term_id><wp:tag_slug>snow</wp:tag_slug>"
    "<wp:tag_name><![CDATA[Snow]]></wp:tag_name></wp:tag>\n"
)


@pytest.fixture
def moved(db, write_file):
    item = wxr_item(
        1,
        categories=[("category", "huts", "Huts"), ("post_tag", "snow", "Snow")],
        comments="",
    )
    run("import_wordpress", write_file(wxr(TERMS, item)))
    return Post.objects.get()


@pytest.mark.parametrize(
    "old, label",
    [
        ("/category/travel/alps/huts/", "huts"),
        ("/category/travel/alps/", "alps"),
        ("/category/huts/", "huts"),
        ("/?cat=9", "huts"),
        ("/?cat=3", "travel"),
        ("/?tag=snow", "snow"),
    ],
)
def test_labels_answer_at_every_address_wordpress_gave_them(moved, client, old, label):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == f"/tag/{label}/"


def test_a_child_categorys_feed_under_its_parents_leads_to_the_labels_feed(moved, client):
    response = client.get("/category/travel/alps/huts/feed/")
    assert response.status_code == 301 and "huts" in response.headers["Location"]


def test_a_day_archive_leads_to_its_month(moved, client):
    response = client.get("/2020/04/05/")
    assert response.status_code == 301 and response.headers["Location"] == "/2020/04/"
    assert client.get("/2020/02/31/").status_code == 404  # No such day.


@pytest.mark.parametrize("old", ["/2020/04/05/post-1/feed/", "/post-1/feed/", "/post-1/feed/atom/"])
def test_a_posts_old_feed_leads_to_its_comments_feed(moved, client, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == f"/comments/feed/{moved.pk}/"
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_feed_of_an_address_no_post_had_is_still_not_found(moved, client):
    assert client.get("/no-such-post/feed/").status_code == 404


def test_addresses_added_since_an_earlier_import_come_with_the_next(db, write_file, client):
    """A blog imported before these forms existed gets them by importing the file again."""
    from interchange.models import LegacyAddress

    path = write_file(wxr(TERMS, wxr_item(1, categories=[("category", "huts", "Huts")])))
    run("import_wordpress", path)
    LegacyAddress.objects.filter(path__in=["/?cat=9", "/category/travel/alps/huts/"]).delete()
    run("import_wordpress", path)
    assert client.get("/?cat=9").status_code == 301
    assert client.get("/category/travel/alps/huts/").status_code == 301


def test_the_feed_of_a_post_whose_old_address_is_its_new_one_leads_to_its_comments(
    db, write_file, client
):
    """WordPress' /%year%/%monthnum%/%postname%/ is Quire's own: no old address is kept."""
    item = wxr_item(1, link="https://old.example.com/2020/04/post-1/")
    run("import_wordpress", write_file(wxr(item)))
    post = Post.objects.get()
    assert post.get_absolute_url() == "/2020/04/post-1/"
    for old in ("/2020/04/post-1/feed/", "/2020/04/post-1/feed/rss2/"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response.headers["Location"] == f"/comments/feed/{post.pk}/"


def test_an_old_address_without_its_final_slash_still_leads_to_its_post(moved, client):
    response = client.get("/2020/04/05/post-1")
    assert response.status_code == 301
    assert response.headers["Location"] == moved.get_absolute_url()
    assert client.get("/category/travel/alps").headers["Location"] == "/tag/alps/"


@pytest.mark.parametrize(
    "old, new",
    [
        ("/page/2/", "/"),
        ("/category/travel/page/3/", "/tag/travel/"),
        ("/2020/04/05/post-1/2/", "/2020/04/post-1/"),
        ("/?feed=rss2", "/feed/rss/"),
        ("/?feed=atom", "/feed/"),
        ("/?s=huts+%26+snow", "/search/?q=huts+%26+snow"),
    ],
)
def test_wordpress_paging_feeds_and_search_by_query_lead_where_they_did(moved, client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new


def test_a_page_asked_for_by_p_as_wordpress_allows_leads_to_it(db, write_file, client):
    run("import_wordpress", write_file(wxr(wxr_item(5, post_type="page", title="About"))))
    for old in ("/?p=5", "/?page_id=5"):
        assert client.get(old).headers["Location"] == "/p/post-5/"


@pytest.mark.parametrize("empty", ["/2023/", "/2023/05/", "/no-such/3/", "/tag/nothing/page/2/"])
def test_an_address_that_only_looks_like_a_later_page_stays_not_found(moved, client, empty):
    assert client.get(empty).status_code == 404
