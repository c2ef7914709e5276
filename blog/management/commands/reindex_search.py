from django.core.management.base import BaseCommand

from blog.models import Post
from blog.search import index_posts


class Command(BaseCommand):
    help = "Rebuild every post's search index (after changing QUIRE_SEARCH_CONFIG, say)."

    def handle(self, *args, **options):
        ids = list(Post.objects.values_list("pk", flat=True))
        index_posts(ids)
        self.stdout.write(f"Reindexed {len(ids)} posts.")
