"""Writes to posts that callers must not spell out themselves: each is the one way to do it."""

from django.db import transaction
from django.utils import timezone

from .models import Post
from .rendering import fill_derived
from .search import index_posts


def post_change_status(*, post, status, published_at=None):
    """Move a post to draft or published; False if nothing changed.

    Publishing a post that is not public makes it public now, unless published_at is given (a
    time to come schedules it, one passed back-dates it): a draft started weeks ago must not
    appear weeks down the blog. A post already public keeps its date unless told another.
    A save, not an update(): the address history and the publication event must see it.
    Raises ValidationError, and saves nothing, where the post breaks a rule the admin's form
    applies: a new date can take it into a month where another post has its slug.
    """
    if status == Post.Status.PUBLISHED and published_at is None:
        published_at = post.published_at if post.is_published else timezone.now()
    if status == Post.Status.DRAFT:
        published_at = post.published_at
    if post.status == status and post.published_at == published_at:
        return False
    post.status = status
    post.published_at = published_at
    post.clean()
    post.save()
    return True


def posts_create_many(*, posts, batch_size=1000):
    """Insert posts in bulk, each exactly as save() would have made it.

    For the benchmark and importers. Posts that arrive already public were published
    elsewhere, long ago perhaps: they are not announced again (blog.publishing).
    """
    from .publishing import schedule_changed

    now = timezone.now()
    for post in posts:
        fill_derived(post)
        if post.status == Post.Status.PUBLISHED and post.published_at <= now:
            post.announced_at = post.published_at
    with transaction.atomic():
        created = Post.objects.bulk_create(posts, batch_size=batch_size)
        index_posts([post.pk for post in created])
        transaction.on_commit(schedule_changed, robust=True)
    return created
