import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from blog.models import Post
from comments.services import posts_refresh_comment_counts

# (post index, reply to entry index or None, name, email, website, text, is public)
DEMO_COMMENTS = [
    (
        0,
        None,
        "Hannah Pryce",
        "hannah@example.com",
        "https://example.com/hannah",
        "I do the same with a pocket notebook. The index on the last pages is a good idea, "
        "I'm stealing it.",
        True,
    ),
    (
        0,
        0,
        "Tomás Ruiz",
        "tomas@example.com",
        "",
        "Numbered pages changed everything for me too.\n\nDo you date the entries?",
        True,
    ),
    (
        0,
        1,
        "Hannah Pryce",
        "hannah@example.com",
        "https://example.com/hannah",
        "Only the first entry of each day. More than that and it starts to feel like admin.",
        True,
    ),
    (
        1,
        None,
        "Will Okafor",
        "will@example.com",
        "",
        "Lovely piece. The heron line made me laugh: they always know you're there.",
        True,
    ),
    (
        1,
        None,
        "Chloé Martin",
        "chloe@example.com",
        "",
        "Which estuary is this? I'd like to walk it in January.",
        False,
    ),
    (
        2,
        None,
        "First Time Commenter",
        "newcomer@example.com",
        "",
        "Could you share the script as a file? Copying from the page mangles the indentation.",
        False,
    ),
]


class Command(BaseCommand):
    help = "Adds demo comments to published posts, some of them waiting for moderation."

    @transaction.atomic
    def handle(self, *args, **options):
        if XtdComment.objects.exists():
            self.stdout.write("Comments exist already; nothing to do.")
            return
        posts = list(Post.objects.published().order_by("-published_at")[:3])
        if not posts:
            self.stdout.write("No published posts to comment on; run load_demo_content first.")
            return
        post_type = ContentType.objects.get_for_model(Post)
        created = []
        for index, entry in enumerate(DEMO_COMMENTS):
            post_index, parent_index, name, email, url, text, is_public = entry
            post = posts[post_index % len(posts)]
            created.append(
                XtdComment.objects.create(
                    content_type=post_type,
                    object_pk=str(post.pk),
                    site_id=settings.SITE_ID,
                    parent_id=created[parent_index].pk if parent_index is not None else 0,
                    user_name=name,
                    user_email=email,
                    user_url=url,
                    comment=text,
                    submit_date=timezone.now() - datetime.timedelta(days=10 - index),
                    ip_address="127.0.0.1",
                    is_public=is_public,
                )
            )
        posts_refresh_comment_counts(post_ids=[post.pk for post in posts])
        pending = sum(not comment.is_public for comment in created)
        self.stdout.write(f"Added {len(created)} demo comments, {pending} awaiting moderation.")
