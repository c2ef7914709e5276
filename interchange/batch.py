"""New posts in batches: one insert per table for many posts, rather than several per post.

Only a batch of posts all new to us takes this path. A batch that fails is rolled back and its
entries go in one by one, each in its own transaction, so a bad entry is still reported alone,
with its title and id, and the rest goes in.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from blog.models import Post, TaggedPost
from blog.services import posts_create_many

from . import addresses
from .bodies import plain_title
from .ledger import CREATED
from .models import ImportedItem
from .provenance import content_digest, record_digest
from .readers import label_key
from .slugs import unique_slug

BATCH = 200


def month_key(moment, slug):
    local = timezone.localtime(moment)
    return local.year, local.month, slug


class NewPosts:
    def __init__(self, *, loader):
        self.loader = loader
        self.records = []

    def add(self, record):
        self.records.append(record)
        if len(self.records) >= BATCH:
            self.flush()

    def flush(self):
        records, self.records = self.records, []
        if not records:
            return
        written = None
        if self.all_new(records):
            try:
                with transaction.atomic():
                    written = self.write(records)
            except Exception:  # Find the bad entry: one by one, as every other entry goes.
                written = None
        if written is None:
            for record in records:
                self.loader.take_post(record)
            return
        for record, post, reasons in written:
            title = plain_title(record.title) or post.title
            self.loader.ledger.record(
                "post", CREATED, record.original_id, title, "; ".join(reasons)
            )
            # Saved again by the import itself: still as the import left it, no edit.
            if self.loader.images_for(post) | self.loader.cover_for(record, post):
                self.loader.provenance.remember_written_of("post", record.original_id, post)
            self.loader.take_comments(record, post)

    def all_new(self, records):
        if self.loader.own_blog:  # Its posts are here already, under no ImportedItem yet.
            return False
        ids = [record.original_id for record in records]
        if len(set(ids)) != len(ids):
            return False
        known = ImportedItem.objects.filter(
            source=self.loader.provenance.source, kind="post", original_id__in=ids
        )
        return not known.exists()

    def write(self, records):
        loader = self.loader
        planned = []
        for record in records:
            reasons = []
            fields, wanted = loader.post_fields(record, reasons)
            planned.append((record, Post(**fields), wanted, reasons))
        wanted_slugs = {wanted for _, _, wanted, _ in planned}
        taken = {
            month_key(moment, slug)
            for slug, moment in Post.objects.filter(slug__in=wanted_slugs).values_list(
                "slug", "published_at"
            )
        }

        for _record, post, wanted, _reasons in planned:

            def is_taken(slug, post=post, wanted=wanted):
                key = month_key(post.published_at, slug)
                return key in taken or (slug != wanted and loader.slug_taken(post, slug))

            post.slug = unique_slug(wanted, is_taken)
            taken.add(month_key(post.published_at, post.slug))
        posts_create_many(posts=[post for _, post, _, _ in planned])
        labels, legacy, post_addresses, items = [], [], [], []
        post_type = ContentType.objects.get_for_model(Post)
        for record, post, _wanted, _reasons in planned:
            tags = {loader.tags.get(label_key(label)) for label in record.labels} - {None}
            labels += [TaggedPost(content_object=post, tag=tag) for tag in tags]
            rows = addresses.address_rows(obj=post, addresses=record.old_addresses, is_page=False)
            legacy += rows[0]
            post_addresses += rows[1]
            items.append(
                ImportedItem(
                    source=loader.provenance.source,
                    kind="post",
                    original_id=record.original_id,
                    occurrence=1,
                    content_type=post_type,
                    object_id=str(post.pk),
                    fingerprint=record_digest(record),
                    written=content_digest(post, labels=[tag.name for tag in tags]),
                    run=loader.provenance.run,
                )
            )
        TaggedPost.objects.bulk_create(labels)
        addresses.insert_addresses(legacy, post_addresses)
        ImportedItem.objects.bulk_create(items)
        return [(record, post, reasons) for record, post, _, reasons in planned]
