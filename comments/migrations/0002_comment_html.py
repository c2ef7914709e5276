import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def fill_comment_html(apps, schema_editor):
    """The HTML of every comment written before comments stored it."""
    from comments.rendering import comment_text

    XtdComment = apps.get_model("django_comments_xtd", "XtdComment")
    CommentHTML = apps.get_model("comments", "CommentHTML")
    rows = XtdComment.objects.order_by("pk").values_list("pk", "comment")
    batch = []
    for pk, text in rows.iterator(chunk_size=BATCH):
        batch.append(CommentHTML(comment_id=pk, html=comment_text(text)))
        if len(batch) == BATCH:
            CommentHTML.objects.bulk_create(batch)
            batch = []
    CommentHTML.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_moderators_group"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentHTML",
            fields=[
                (
                    "comment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stored_html",
                        serialize=False,
                        to="django_comments_xtd.xtdcomment",
                    ),
                ),
                ("html", models.TextField()),
            ],
            options={"verbose_name": "comment HTML", "verbose_name_plural": "comment HTML"},
        ),
        migrations.RunPython(fill_comment_html, migrations.RunPython.noop, elidable=True),
    ]
