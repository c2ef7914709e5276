"""Animated GIFs uploaded before 0009 marked as animations, and the posts and pages that show
them rendered again: they showed still renditions of the first frame. (An animated WebP
uploaded then was rewritten to its first frame on upload: there is no animation left to mark.)"""

import posixpath

from django.db import migrations


def mark_animations(apps, schema_editor):
    # Today's code on purpose: the renderer that shows an animation as the file it is.
    from blog.images import is_animation
    from blog.rendering import render_markdown

    alias = schema_editor.connection.alias
    Image = apps.get_model("blog", "Image")
    Post = apps.get_model("blog", "Post")
    Page = apps.get_model("blog", "Page")
    storage = Image._meta.get_field("image").storage
    stems = []
    gifs = Image.objects.using(alias).filter(is_animated=False, image__iendswith=".gif")
    for pk, name in gifs.values_list("pk", "image").iterator():
        try:
            with storage.open(name) as file:
                animated = is_animation(file)
        except OSError:  # A file lost from storage must not stop the upgrade.
            continue
        if animated:
            Image.objects.using(alias).filter(pk=pk).update(is_animated=True)
            # Bodies name the file or one of its renditions, all of which carry its stem.
            stems.append(posixpath.splitext(posixpath.basename(name))[0])
    for stem in stems:
        for model in (Post, Page):
            showing = model.objects.using(alias).filter(body__contains=stem)
            for pk, body in showing.values_list("pk", "body").iterator():
                html = render_markdown(body)  # Its text is the same: summaries stay.
                model.objects.using(alias).filter(pk=pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0009_image_is_animated"),
    ]

    operations = [
        migrations.RunPython(mark_animations, migrations.RunPython.noop, elidable=True),
    ]
