import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blog.models import Post
from comments.models import HoldReason, HoldRule
from comments.moderation import untrusted_detail
from comments.services import comment_create
from comments.xtd import XtdComment

# (post index, newest first; reply to entry index or None; name, email, website, text, is public)
DEMO_COMMENTS = [
    (
        0,
        None,
        "Hannah Pryce",
        "hannah@example.com",
        "https://example.com/hannah",
        "Welcome to the new house. My old bookmarks still took me to the right posts, "
        "which is more than I can say for most moves.",
        True,
    ),
    (
        0,
        0,
        "Tomás Ruiz",
        "tomas@example.com",
        "",
        "Same here: my feed reader didn't even notice.\n\nWill the old comments come across too?",
        True,
    ),
    (
        0,
        1,
        "Hannah Pryce",
        "hannah@example.com",
        "https://example.com/hannah",
        "They did on my blog when I moved. Every one of them, with its replies.",
        True,
    ),
    (
        1,
        None,
        "Will Okafor",
        "will@example.com",
        "",
        "A field guide to mosses is exactly the right book for a wet November. "
        "I'm halfway through a history of lighthouses.",
        True,
    ),
    (
        1,
        None,
        "Chloé Martin",
        "chloe@example.com",
        "",
        "Which history of the postal service is it? I'd like to read it over Christmas.",
        False,
    ),
    (
        2,
        None,
        "First Time Commenter",
        "newcomer@example.com",
        "",
        "Forty-one! I thought my nineteen were a lot. Do you ever merge two drafts into one?",
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
        created = []
        for index, entry in enumerate(DEMO_COMMENTS):
            post_index, parent_index, name, email, url, text, is_public = entry
            post = posts[post_index % len(posts)]
            parent = created[parent_index] if parent_index is not None else None
            # Written after the post and after what it answers, and never in the future.
            after = parent.submit_date if parent else post.published_at
            written = min(timezone.now(), after + datetime.timedelta(hours=2 + index))
            created.append(
                comment_create(
                    post=post,
                    parent=parent,
                    name=name,
                    email=email,
                    url=url,
                    text=text,
                    submit_date=written,
                    ip_address="127.0.0.1",
                    is_public=is_public,
                )
            )
        # The queue says why each comment waits; these wait as any first comment would.
        HoldReason.objects.bulk_create(
            HoldReason(
                comment=comment,
                rule=HoldRule.FIRST_TIME,
                detail=untrusted_detail(comment.user_email),
            )
            for comment in created
            if not comment.is_public
        )
        pending = sum(not comment.is_public for comment in created)
        self.stdout.write(f"Added {len(created)} demo comments, {pending} awaiting moderation.")
