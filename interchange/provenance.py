"""Entries matched to what they became, by their original ids: the memory of every import."""

import hashlib

from django.contrib.contenttypes.models import ContentType

from blog.models import Post

from .models import ImportedItem


def fingerprint(*parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def content_digest(obj, *, labels=None):
    """What an author changes of a post or page, and an import writes: a save that changes
    none of it (the navigation's order, Save pressed on an unchanged form) is no edit.
    `labels`: the post's label names, when the caller has them (a query spared)."""
    if isinstance(obj, Post):
        if labels is None:
            labels = obj.tags.values_list("name", flat=True)
        labels = sorted(labels)
        moment = obj.published_at.timestamp() if obj.published_at else None
        said = (obj.title, obj.body, obj.excerpt, obj.slug, obj.status, moment, labels,
                obj.cover.name or "", obj.cover_alt)  # fmt: skip
    else:
        said = (obj.title, obj.body, obj.slug, obj.is_published)
    # As plain values: a choice's enum member and the string the database gives back are one.
    return fingerprint(*(str(value) if isinstance(value, str) else value for value in said))


# Fields a PostRecord gained after imports were made: counted only when set, so that an entry
# imported before they existed is not taken for changed by their arrival.
LATER_FIELDS = ("cover_url", "cover_alt")


def record_digest(record):
    """What an entry of the file says, to tell on the next import whether it changed there."""
    said = {**vars(record), "comments": None, "line": None}
    for name in LATER_FIELDS:
        if not said.get(name):
            said.pop(name, None)
    return fingerprint(said)


class Provenance:
    """ImportedItem rows of one source, read and written for one run."""

    def __init__(self, *, source, run):
        self.source, self.run = source, run

    def claim(self, kind, original_id):
        """This run's next occurrence of the id, and the item it had last time (or None)."""
        items = list(
            ImportedItem.objects.filter(source=self.source, kind=kind, original_id=original_id)
        )
        occurrence = 1 + sum(1 for item in items if item.run == self.run)
        found = next((item for item in items if item.occurrence == occurrence), None)
        return found, occurrence

    def bind(self, *, kind, original_id, occurrence, obj, digest="", item=None):
        """Remember what the entry became, for this run and the next import."""
        content_type = ContentType.objects.get_for_model(obj)
        if item is None:
            return ImportedItem.objects.create(
                source=self.source,
                kind=kind,
                original_id=original_id,
                occurrence=occurrence,
                content_type=content_type,
                object_id=str(obj.pk),
                fingerprint=digest,
                run=self.run,
            )
        item.content_type, item.object_id = content_type, str(obj.pk)
        item.fingerprint, item.run = digest, self.run
        item.save(update_fields=["content_type", "object_id", "fingerprint", "run", "updated_at"])
        return item

    def touch(self, item):
        ImportedItem.objects.filter(pk=item.pk).update(run=self.run)
        item.run = self.run

    @staticmethod
    def edited_here(item, obj):
        """Changed here since an import last wrote it: the author's edit, theirs to keep. An item
        an import made before Quire kept this (written empty) counts as not edited."""
        return bool(item.written) and item.written != content_digest(obj)

    @staticmethod
    def remember_written(item, obj):
        """Call after the import's own last save of the object in this run."""
        item.written = content_digest(obj)
        ImportedItem.objects.filter(pk=item.pk).update(written=item.written)

    def remember_written_of(self, kind, original_id, obj):
        """remember_written, for an item known by its entry's id (the first of that id)."""
        items = ImportedItem.objects.filter(source=self.source, kind=kind, original_id=original_id)
        items.filter(occurrence=1).update(written=content_digest(obj))

    def find(self, kind, original_id):
        """What the entry's first occurrence became, from any run."""
        item = (
            ImportedItem.objects.filter(source=self.source, kind=kind, original_id=original_id)
            .order_by("occurrence")
            .first()
        )
        return item.content_object if item else None

    def items(self, kind):
        """Items of a kind this run met, one query, streamed."""
        return ImportedItem.objects.filter(source=self.source, kind=kind, run=self.run).iterator()
