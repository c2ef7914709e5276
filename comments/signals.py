from django.contrib.contenttypes.models import ContentType

from .services import posts_refresh_comment_counts


def comment_changed(sender, instance, **kwargs):
    """Any save or delete may change what the public sees, so recount the post's comments.

    Run in the same transaction rather than on commit: the count is part of the write.
    """
    content_type = ContentType.objects.get_for_id(instance.content_type_id)
    if (content_type.app_label, content_type.model) == ("blog", "post"):
        posts_refresh_comment_counts(post_ids=[instance.object_pk])
