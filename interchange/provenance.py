"""Entries matched to what they became, by their original ids: the memory of every import."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import ImportedItem


def fingerprint(*parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()


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
        """Saved here since an import last wrote it: the author's edit, which is theirs to keep.
        Every import ends by dating its items (stamp), after its own last save of each."""
        return obj.updated_at > item.updated_at

    def stamp(self, kinds, *, except_pks=()):
        """Date this run's items of these kinds now: whatever is saved later was saved here."""
        items = ImportedItem.objects.filter(source=self.source, run=self.run, kind__in=kinds)
        items.exclude(pk__in=except_pks).update(updated_at=timezone.now())

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
