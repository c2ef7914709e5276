import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import ValidationError

from blog.models import Page, Post

from .conftest import image_upload

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2024, 10, 23, 12, 0, tzinfo=dt.UTC)


def test_body_is_rendered_once_on_save_and_kept_in_step_with_edits(post_factory):
    post = post_factory(body="Some *emphasis* and a [link](https://example.com).")
    assert "<em>emphasis</em>" in post.body_html
    assert 'href="https://example.com"' in post.body_html

    post.body = "Now **bold**."
    post.save()
    post.refresh_from_db()
    assert post.body_html == "<p>Now <strong>bold</strong>.</p>"


def test_summary_comes_from_the_body_when_there_is_no_excerpt(post_factory):
    words = " ".join(f"word{n}" for n in range(100))
    post = post_factory(body=f"# Heading\n\n{words}", excerpt="")
    # The opening prose: a heading would run into it as if one sentence ("Heading word0").
    assert post.summary.startswith("word0 word1")
    assert "Heading" not in post.summary
    assert post.summary.endswith("…")
    assert "<" not in post.summary
    assert len(post.summary.split()) == 40


def test_a_summary_skips_code_and_tables_but_keeps_a_body_of_headings_only(post_factory):
    post = post_factory(
        body="## Erste Überschrift\n\n    code()\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nEin Absatz.",
        excerpt="",
    )
    assert post.summary == "Ein Absatz."
    assert post_factory(body="## Only a heading", excerpt="").summary == "Only a heading"


def test_summary_prefers_the_excerpt(post_factory):
    post = post_factory(body="The long body.", excerpt="A *short* teaser.")
    assert post.summary == "A short teaser."


def test_reading_time_counts_words_at_230_a_minute(post_factory):
    assert post_factory(body="Just a few words.").reading_time == 1
    assert post_factory(body="word " * 230).reading_time == 1
    assert post_factory(body="word " * 231).reading_time == 2
    assert post_factory(body="word " * 2300).reading_time == 10


def test_published_is_the_one_rule_for_what_the_public_sees(post_factory):
    published = post_factory()
    post_factory(draft=True)
    post_factory(scheduled=True)
    post_factory(draft=True, scheduled=True)

    assert list(Post.objects.published()) == [published]


def test_is_published_and_is_scheduled_agree_with_the_queryset(post_factory):
    published = post_factory()
    draft = post_factory(draft=True)
    scheduled = post_factory(scheduled=True)

    assert (published.is_published, published.is_scheduled) == (True, False)
    assert (draft.is_published, draft.is_scheduled) == (False, False)
    assert (scheduled.is_published, scheduled.is_scheduled) == (False, True)


def test_a_scheduled_post_appears_by_itself_when_its_time_comes(post_factory):
    with time_machine.travel(NOON, tick=False):
        post = post_factory(published_at=NOON + dt.timedelta(hours=3))
        assert not Post.objects.published().exists()

    with time_machine.travel(NOON + dt.timedelta(hours=3), tick=False):
        assert list(Post.objects.published()) == [post]
        assert Post.objects.get().is_published


def test_posts_are_newest_first(post_factory):
    older = post_factory(published_at=NOON - dt.timedelta(days=2))
    newest = post_factory(published_at=NOON)
    middle = post_factory(published_at=NOON - dt.timedelta(days=1))

    assert list(Post.objects.all()) == [newest, middle, older]
    assert Post.objects.latest() == newest


def test_absolute_url_is_year_month_slug(post_factory):
    post = post_factory(slug="hello-world", published_at=dt.datetime(2024, 3, 5, tzinfo=dt.UTC))
    assert post.get_absolute_url() == "/2024/03/hello-world/"


def test_unicode_slug_makes_a_working_address(post_factory):
    post = post_factory(title="日本語の記事", slug="日本語の記事", published_at=NOON)
    assert post.get_absolute_url() == f"/2024/10/{quote('日本語の記事')}/"
    post.full_clean()


def test_address_follows_the_site_time_zone(post_factory, settings):
    settings.TIME_ZONE = "America/New_York"
    # 02:00 UTC on 1 November is still 31 October in New York.
    post = post_factory(slug="halloween", published_at=dt.datetime(2024, 11, 1, 2, tzinfo=dt.UTC))
    assert post.get_absolute_url() == "/2024/10/halloween/"


def test_slug_is_unique_within_a_month_only(post_factory, author):
    post_factory(slug="same", published_at=NOON)
    twin = Post(
        title="Twin", slug="same", author=author, body="x", published_at=NOON + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "slug" in error.value.message_dict

    twin.published_at = NOON + dt.timedelta(days=40)
    twin.full_clean()


def test_the_same_slug_in_the_same_month_of_another_year_is_allowed(post_factory, author):
    post_factory(slug="year-in-review", published_at=dt.datetime(2023, 10, 23, tzinfo=dt.UTC))
    next_year = Post(
        title="Year in review",
        slug="year-in-review",
        author=author,
        body="x",
        published_at=dt.datetime(2024, 10, 23, tzinfo=dt.UTC),
    )
    next_year.full_clean()


def test_twins_made_outside_the_admin_still_leave_the_address_working(client, post_factory):
    # Imports and scripts skip full_clean(); the page must still answer, with the newer post.
    post_factory(title="Older twin", slug="twin", published_at=NOON)
    post_factory(title="Newer twin", slug="twin", published_at=NOON + dt.timedelta(days=1))
    response = client.get("/2024/10/twin/")
    assert response.status_code == 200
    assert b"Newer twin" in response.content


def test_cover_needs_alt_text(author):
    post = Post(title="T", slug="t", author=author, body="x", cover=image_upload())
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "cover_alt" in error.value.message_dict

    post.cover_alt = "A red square"
    post.full_clean()


def test_title_longer_than_200_characters_is_refused(author):
    post = Post(title="x" * 201, slug="long", author=author, body="x")
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "title" in error.value.message_dict


def test_very_long_body_is_rendered(post_factory):
    body = "\n\n".join(f"Paragraph {n} " + "lorem " * 200 for n in range(100))
    post = post_factory(body=body)
    assert post.body_html.count("<p>") == 100
    assert post.reading_time == 88


def test_new_posts_start_as_drafts_published_now_with_comments_open(author):
    with time_machine.travel(NOON, tick=False):
        post = Post.objects.create(title="T", slug="t", author=author, body="x")
    assert post.status == Post.Status.DRAFT
    assert post.published_at == NOON
    assert post.allow_comments
    assert post.created_at == NOON


def test_pages_render_markdown_and_only_published_ones_are_in_navigation(page_factory):
    about = page_factory(title="About", slug="about", body="I *write*.")
    page_factory(title="Hidden", is_published=False)
    page_factory(title="Colophon", show_in_navigation=False)

    assert about.body_html == "<p>I <em>write</em>.</p>"
    assert list(Page.objects.in_navigation()) == [about]
    assert about.get_absolute_url() == "/p/about/"
