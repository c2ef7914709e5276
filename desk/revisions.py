"""Revisions: every save keeps the post's words; autosaves keep the words not saved yet.

An autosave never touches the post: readers see only what the author saved.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from blog.models import Post, TaggedPost
from blog.rendering import fill_derived

from .models import Revision


def labels_text(post):
    """The post's stored labels as the tags field shows them ("Café, sea walks")."""
    links = TaggedPost.objects.filter(content_object=post).select_related("tag")
    return edit_string_for_tags([link.tag for link in links])


def revision_record(*, post, author, kind=Revision.Kind.SAVED, restored_from=None):
    """Keep the post's stored words as a revision; None if a save changed none of them.

    The writer's autosave goes: its words are saved now.
    """
    with transaction.atomic():
        Revision.objects.filter(post=post, author=author, kind=Revision.Kind.AUTOSAVE).delete()
        revision = Revision(
            post=post, **_words_of(post), author=author, kind=kind, restored_from=restored_from
        )
        latest = post.revisions.exclude(kind=Revision.Kind.AUTOSAVE).first()
        if kind == Revision.Kind.SAVED and latest and latest.content == revision.content:
            return None  # A change of status or date only: the words are those of `latest`.
        revision.save()
        return revision


def revision_keep_first_words(*, post_pk):
    """A post written before the desk kept its words (demo content, an import) keeps them as
    its first revision before a save here replaces them: History can always go back."""
    stored = Post.objects.select_related("author").get(pk=post_pk)
    if stored.revisions.exclude(kind=Revision.Kind.AUTOSAVE).exists():
        return None
    return Revision.objects.create(
        post=stored, **_words_of(stored), author=stored.author, created_at=stored.updated_at
    )


def _words_of(post):
    """What a revision keeps of a post: the words and labels as stored."""
    return {
        "title": post.title,
        "body": post.body,
        "excerpt": post.excerpt,
        "labels": labels_text(post),
    }


def revision_autosave(*, post, author, title, body, excerpt, labels):
    """The writer's one autosave of this post, replaced by their latest words."""
    revision, _ = Revision.objects.update_or_create(
        post=post,
        author=author,
        kind=Revision.Kind.AUTOSAVE,
        defaults={
            # The form refuses a longer title anyway; the words of the body matter more.
            "title": title[: Revision._meta.get_field("title").max_length],
            "body": body,
            "excerpt": excerpt,
            "labels": labels,
            "created_at": timezone.now(),
        },
    )
    return revision


def revision_autosave_discard(*, post, author):
    Revision.objects.filter(post=post, author=author, kind=Revision.Kind.AUTOSAVE).delete()


def autosave_to_offer(*, post, author):
    """The writer's autosave, if it holds words written after the post was last saved."""
    autosave = Revision.objects.filter(
        post=post, author=author, kind=Revision.Kind.AUTOSAVE, created_at__gt=post.updated_at
    ).first()
    if autosave is None:
        return None
    stored = (post.title, post.body, post.excerpt)
    if (autosave.title, autosave.body, autosave.excerpt) == stored and same_labels(
        autosave.labels, labels_text(post)
    ):
        return None
    return autosave


def same_labels(first, second):
    return {name.casefold() for name in parse_tags(first)} == {
        name.casefold() for name in parse_tags(second)
    }


def post_restore_revision(*, post, revision, user):
    """Make the post's words those of `revision`, and keep that as a new revision."""
    with transaction.atomic():
        post.title = revision.title
        post.body = revision.body
        post.excerpt = revision.excerpt
        post.save()
        post.tags.set(parse_tags(revision.labels))
        return revision_record(
            post=post, author=user, kind=Revision.Kind.RESTORED, restored_from=revision
        )


def restorable(post):
    """Revisions whose words passed the post form once. An autosave comes back through the form
    (the offer on opening it), which checks its title and labels before anything is saved."""
    return post.revisions.exclude(kind=Revision.Kind.AUTOSAVE)


def history_for(post):
    """The post's revisions, newest first, with who wrote them, in one query."""
    return post.revisions.select_related("author", "restored_from")


def post_as_revision(revision):
    """An unsaved copy of the post wearing the revision's words, rendered as a save would.

    Never saved: the post page template shows it, and readers keep the stored post.
    """
    post = revision.post
    copy = Post(**{f.attname: getattr(post, f.attname) for f in Post._meta.concrete_fields})
    copy.author = post.author
    copy.title, copy.body, copy.excerpt = revision.title, revision.body, revision.excerpt
    fill_derived(copy)
    names = parse_tags(revision.labels)
    known = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    tags = [known.get(name) or Tag(name=name, slug="") for name in names]
    # As prefetch_related would leave it, so post.tags.all() shows the revision's labels.
    prefetched = Tag.objects.all()
    prefetched._result_cache, prefetched._prefetch_done = tags, True
    copy._prefetched_objects_cache = {"tags": prefetched}
    return copy


# Comparing two revisions -------------------------------------------------------------------

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT_LINES = 2


@dataclass
class Line:
    """One line of a comparison: kind is same, added, removed, changed or skipped; segments
    are (same | ins | del, text)."""

    kind: str
    segments: list = field(default_factory=list)
    skipped: int = 0


@dataclass
class FieldChange:
    label: str
    lines: list
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def is_changed(self):
        return any(line.kind != "same" for line in self.lines) or self.added or self.removed


def compare(older, newer):
    """What changed from `older` to `newer`, field by field, readable by a person."""
    old_labels = {name.casefold(): name for name in parse_tags(older.labels)}
    new_labels = {name.casefold(): name for name in parse_tags(newer.labels)}
    return [
        FieldChange("Title", diff_lines(older.title, newer.title)),
        FieldChange(
            "Labels",
            [],
            added=[name for key, name in new_labels.items() if key not in old_labels],
            removed=[name for key, name in old_labels.items() if key not in new_labels],
        ),
        FieldChange("Excerpt", diff_lines(older.excerpt, newer.excerpt)),
        FieldChange("Body", diff_lines(older.body, newer.body)),
    ]


def diff_lines(old, new):
    """Line by line, with words marked inside a changed line; long unchanged runs folded."""
    before, after = old.splitlines(), new.splitlines()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    if before == after:
        return []
    lines, shown_until = [], 0
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        if group[0][1] > shown_until:
            lines.append(Line("skipped", skipped=group[0][1] - shown_until))
        for tag, i1, i2, j1, j2 in group:
            lines.extend(_opcode_lines(tag, before[i1:i2], after[j1:j2]))
        shown_until = group[-1][2]
    if shown_until < len(before):
        lines.append(Line("skipped", skipped=len(before) - shown_until))
    return lines


def _opcode_lines(tag, old_lines, new_lines):
    if tag == "equal":
        return [Line("same", [("same", line)]) for line in new_lines]
    pairs = min(len(old_lines), len(new_lines)) if tag == "replace" else 0
    lines = [Line("changed", diff_words(a, b)) for a, b in zip(old_lines, new_lines, strict=False)]
    lines = lines[:pairs]
    lines += [Line("removed", [("del", line)]) for line in old_lines[pairs:]]
    lines += [Line("added", [("ins", line)]) for line in new_lines[pairs:]]
    return lines


def diff_words(old, new):
    """One line's words: (same | del | ins, text) runs."""
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    segments = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("same", "".join(after[j1:j2])))
            continue
        if i2 > i1:
            segments.append(("del", "".join(before[i1:i2])))
        if j2 > j1:
            segments.append(("ins", "".join(after[j1:j2])))
    return segments
