"""Posts and pages rendered again by markdown-it-py (docs/releases.md says what changed), and the
size of each cover recorded so that pages give it without opening the file."""

import blog.images
from django.core.files.images import get_image_dimensions
from django.db import migrations, models

BATCH = 500


def batches(queryset, *fields):
    """Rows in primary-key order, BATCH at a time: steady memory, and safe to update as we go
    (SQLite does not isolate a cursor from writes on the same connection)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def cover_size(storage, name):
    if not name:
        return None, None
    try:
        with storage.open(name) as file:
            return get_image_dimensions(file)
    except (OSError, ValueError):  # a cover lost from storage must not stop the upgrade
        return None, None


def rerender_bodies(apps, schema_editor):
    # Today's renderer on purpose: this release exists to re-render with it.
    from blog.rendering import fill_derived, render_markdown
    from blog.search import index_posts

    alias = schema_editor.connection.alias
    Post = apps.get_model("blog", "Post")
    Page = apps.get_model("blog", "Page")
    storage = Post._meta.get_field("cover").storage
    for rows in batches(Post.objects.using(alias), "body", "excerpt", "cover"):
        posts = []
        for pk, body, excerpt, cover in rows:
            post = Post(pk=pk, body=body, excerpt=excerpt)
            fill_derived(post)
            post.cover_width, post.cover_height = cover_size(storage, cover)
            posts.append(post)
        Post.objects.using(alias).bulk_update(
            posts, ["body_html", "summary", "reading_time", "cover_width", "cover_height"]
        )
        index_posts([post.pk for post in posts], using=alias)
    for rows in batches(Page.objects.using(alias), "body"):
        pages = [Page(pk=pk, body_html=render_markdown(body)) for pk, body in rows]
        Page.objects.using(alias).bulk_update(pages, ["body_html"])


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0005_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='cover_height',
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='post',
            name='cover_width',
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        # Nothing changes in the table; on SQLite an AlterField would rebuild it and lose the
        # trigger that keeps the search index (0005).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='post',
                    name='cover',
                    field=models.ImageField(blank=True, height_field='cover_height', upload_to=blog.images.upload_to_covers, validators=[blog.images.validate_image_upload], width_field='cover_width'),
                ),
            ],
        ),
        # Old HTML stays if the release is rolled back: the previous renderer makes it again.
        migrations.RunPython(rerender_bodies, migrations.RunPython.noop, elidable=True),
    ]
