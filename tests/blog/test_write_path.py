"""One write path: derived fields, address history and labels, however a post was made or loaded."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from blog.models import Post, TaggedPost
from blog.rendering import DERIVED_FIELDS
from blog.services import posts_create_many

pytestmark = pytest.mark.django_db

BODY = (
    "# A heading\n\nSome *emphasis*, a [link](https://example.com) and <script>x()</script>.\n\n"
    + ("Words enough to read for a while. " * 120)
)


def test_a_post_made_in_bulk_has_the_same_derived_fields_as_a_saved_one(author):
    when = timezone.now() - dt.timedelta(days=1)
    saved = Post.objects.create(
        title="Saved",
        slug="saved",
        author=author,
        body=BODY,
        excerpt="",
        status=Post.Status.PUBLISHED,
        published_at=when,
    )
    [bulk] = posts_create_many(
        posts=[
            Post(
                title="Bulk",
                slug="bulk",
                author=author,
                body=BODY,
                status=Post.Status.PUBLISHED,
                published_at=when,
            )
        ]
    )
    bulk.refresh_from_db()
    for field in DERIVED_FIELDS:
        assert getattr(bulk, field) == getattr(saved, field), field
    assert "<script" not in bulk.body_html
    assert bulk.reading_time == 4  # About 735 words at 230 a minute.


@pytest.mark.parametrize(
    "load",
    [
        pytest.param(lambda pk: Post.objects.only("title").get(pk=pk), id="only"),
        pytest.param(lambda pk: Post.objects.defer("slug", "published_at").get(pk=pk), id="defer"),
        pytest.param(
            lambda pk: Post(
                pk=pk,
                **Post.objects.values(
                    "title", "slug", "author_id", "body", "status", "published_at", "created_at"
                ).get(pk=pk),
            ),
            id="built",
        ),
    ],
)
def test_a_move_keeps_the_old_address_however_the_post_was_loaded(client, post_factory, load):
    post = post_factory(slug="first-name")
    old_url = post.get_absolute_url()
    loaded = load(post.pk)
    if loaded._state.adding:  # A post an importer builds from its own record.
        loaded._state.adding = False
    loaded.slug = "second-name"
    loaded.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == loaded.get_absolute_url()


def test_a_move_after_refresh_from_db_keeps_the_old_address(client, post_factory):
    post = post_factory(slug="first-name")
    old_url = post.get_absolute_url()
    post.refresh_from_db()
    post.slug = "second-name"
    post.save()
    assert client.get(old_url)["Location"] == post.get_absolute_url()


def test_save_with_update_fields_keeps_the_derived_fields_in_step(post_factory):
    post = post_factory(body="Old.")
    post.body = "New *words*."
    post.save(update_fields=["body"])
    post.refresh_from_db()
    assert post.body_html == "<p>New <em>words</em>.</p>"


def test_labels_live_in_their_own_table(post_factory):
    post = post_factory(tags=["Sea", "Café"])
    assert sorted(
        TaggedPost.objects.filter(content_object=post).values_list("tag__name", flat=True)
    ) == [
        "Café",
        "Sea",
    ]
    assert [p.pk for p in Post.objects.published().tagged(post.tags.get(name="Sea"))] == [post.pk]


@pytest.mark.django_db(transaction=True)
def test_migrating_to_taggedpost_keeps_every_label_and_announces_nothing_old():
    executor = MigrationExecutor(connection)
    executor.migrate([("blog", "0002_post_addresses")])
    old = executor.loader.project_state([("blog", "0002_post_addresses")]).apps
    User = old.get_model("auth", "User")
    OldPost, Tag = old.get_model("blog", "Post"), old.get_model("taggit", "Tag")
    TaggedItem, ContentType = (
        old.get_model("taggit", "TaggedItem"),
        old.get_model("contenttypes", "ContentType"),
    )
    author = User.objects.create(username="writer")
    now = timezone.now()
    public = OldPost.objects.create(
        title="Public",
        slug="public",
        author=author,
        body="x",
        status="published",
        published_at=now - dt.timedelta(days=1),
    )
    later = OldPost.objects.create(
        title="Later",
        slug="later",
        author=author,
        body="x",
        status="published",
        published_at=now + dt.timedelta(days=1),
    )
    post_type = ContentType.objects.get(app_label="blog", model="post")
    sea, cafe = (
        Tag.objects.create(name="Sea", slug="sea"),
        Tag.objects.create(name="Café", slug="café"),
    )
    for post, tag in [(public, sea), (public, cafe), (later, sea)]:
        TaggedItem.objects.create(content_type=post_type, object_id=post.pk, tag=tag)
    TaggedItem.objects.create(content_type=post_type, object_id=999_999, tag=sea)  # A lost post.

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    labels = sorted(TaggedPost.objects.values_list("content_object__title", "tag__name"))
    assert labels == [("Later", "Sea"), ("Public", "Café"), ("Public", "Sea")]
    assert Post.objects.get(pk=public.pk).announced_at is not None
    assert Post.objects.get(pk=later.pk).announced_at is None
