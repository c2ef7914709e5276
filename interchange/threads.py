"""Comments and their threads, rebuilt in any order and at any depth, through comment_create.

A reply may come before its parent in the file: it waits until the parent is in. A reply
whose parent never comes is kept on its post (or page), and one nested deeper than our threads go is
attached at the deepest level allowed; both are listed in the ledger.
"""

from django.contrib.contenttypes.models import ContentType

from blog.models import Page, Post
from comments.services import comment_create
from comments.xtd import XtdComment, max_thread_level_for_content_type

from .bodies import comment_text
from .ledger import CREATED, SKIPPED, UNCHANGED, UPDATED
from .provenance import fingerprint

NAME_LIMIT = XtdComment._meta.get_field("user_name").max_length
# comment_create's arguments, as XtdComment names the fields.
MODEL_FIELDS = {"name": "user_name", "email": "user_email", "url": "user_url", "text": "comment"}
URL_LIMIT = XtdComment._meta.get_field("user_url").max_length
EMAIL_LIMIT = XtdComment._meta.get_field("user_email").max_length


def cut_to_fit(record):
    """What of a comment does not fit our fields, said in the ledger: nothing changes unsaid."""
    said = []
    if len(record.name) > NAME_LIMIT:
        said.append(f"its author's name cut to {NAME_LIMIT} characters")
    if len(record.email) > EMAIL_LIMIT:
        said.append(f"its email address, longer than {EMAIL_LIMIT} characters, left out")
    if len(record.url) > URL_LIMIT:
        said.append(f"its website, longer than {URL_LIMIT} characters, left out")
    if record.submitted_at is None:
        said.append("it has no date: dated at the import")
    return said


def digest_fields(record):
    """What a comment's fingerprint covers: as before pingbacks were told apart (only comments
    are written), so a blog imported then is unchanged now."""
    fields = {**vars(record), "line": None}
    del fields["comment_type"]
    return fields


class Threads:
    def __init__(self, *, loader):
        self.loader = loader
        self.waiting = []  # (record, post): replies whose parent is not in yet
        # Pages the file says take no comments: their thread shows, and no form.
        self.closed_pages = set()

    def take(self, record, post=None):
        if record.comment_type in ("pingback", "trackback"):
            reason = f"a {record.comment_type} from another blog's link, not a comment"
            self.loader.ledger.record("comment", SKIPPED, record.original_id, "", reason)
            return
        if record.status in ("spam", "trash"):
            self.removed(record)
            return
        if record.parent_id and self.parent(record) is None:
            self.waiting.append((record, post))
            return
        self.write(record, post)
        self.release()

    def removed(self, record):
        """Spam or in the trash on the old blog: not taken, or hidden if an earlier import took it
        (a newer export is the old blog as it is now)."""
        reason = "spam on the old blog" if record.status == "spam" else "in the trash"
        earlier = self.loader.provenance.find("comment", record.original_id)
        if earlier is None or earlier.is_removed:
            self.loader.ledger.record("comment", SKIPPED, record.original_id, "", reason)
            return
        earlier.is_public, earlier.is_removed = False, True
        earlier.save()  # A save, so the post's comment count follows (comments.signals).
        self.loader.ledger.record(
            "comment", UPDATED, record.original_id, "", f"{reason} now: removed here"
        )

    def release(self):
        """Write the waiting replies whose parents have come in; until none moves."""
        moved = True
        while moved and self.waiting:
            moved = False
            for pair in list(self.waiting):
                if self.parent(pair[0]) is not None:
                    self.waiting.remove(pair)
                    self.write(*pair)
                    moved = True

    def finish(self):
        """Replies whose parent never came: kept on their post, and listed."""
        self.release()
        waiting_ids = {record.original_id for record, _ in self.waiting}
        for record, post in self.waiting:
            if record.parent_id == record.original_id:
                why = "it names itself as its parent"
            elif record.parent_id in waiting_ids:
                why = f"it and its parent comment {record.parent_id} answer each other in a loop"
            else:
                why = f"its parent comment {record.parent_id} is missing"
            self.write(record, post, orphan=why)
        self.waiting = []

    def parent(self, record):
        return self.loader.provenance.find("comment", record.parent_id)

    def write(self, record, post, orphan=""):
        self.loader.entry(record, lambda r: self.comment_entry(r, post, orphan))

    def comment_entry(self, record, post, orphan):
        provenance = self.loader.provenance
        item, occurrence = provenance.claim("comment", record.original_id)
        reasons = [] if occurrence == 1 else ["shares its id with an earlier comment: kept too"]
        digest = fingerprint(digest_fields(record))
        comment = item.content_object if item is not None else None
        if comment is not None and item.fingerprint == digest:
            provenance.touch(item)
            return comment, UNCHANGED, reasons
        post = (
            post
            or provenance.find("post", record.post_id)
            or provenance.find("page", record.post_id)
        )
        if not isinstance(post, Post | Page):
            if not record.post_id:
                why = "it names no post"
            elif record.post_id in self.loader.posts_in_file:
                why = "its post was not imported"
            else:
                why = f"its post {record.post_id} is not in the file"
            return None, SKIPPED, [why]
        if comment is None and self.loader.own_blog:  # The writer's comment_id is the row's.
            comment = self.own_comment(record, post)
        if isinstance(post, Page) and not post.allow_comments and post.pk not in self.closed_pages:
            # A new page takes no comments; one that had some on the old blog shows its thread.
            Page.objects.filter(pk=post.pk).update(allow_comments=True)
            post.allow_comments = True
        parent = None if orphan else self.parent(record)
        if orphan:
            reasons.append(f"{orphan}: kept on the post")
        parent, cut = self.within_depth(parent, post)
        if cut:
            reasons.append(
                f"nested deeper than the {cut} levels allowed here: attached at level {cut}"
            )
        reasons += cut_to_fit(record)
        fields = {
            "name": (record.name or "Anonymous")[:NAME_LIMIT],
            "email": record.email if len(record.email) <= EMAIL_LIMIT else "",
            "url": record.url if len(record.url) <= URL_LIMIT else "",
            "text": comment_text(record.text),
            "is_public": record.status == "approved",
            "submit_date": record.submitted_at,
        }
        if comment is None:
            comment = comment_create(post=post, parent=parent, **fields)
            outcome = CREATED
        else:
            for name, value in fields.items():
                setattr(comment, MODEL_FIELDS.get(name, name), value)
            comment.save()  # A save, so the post's comment count follows (comments.signals).
            outcome = UPDATED
        provenance.bind(
            kind="comment",
            original_id=record.original_id,
            occurrence=occurrence,
            obj=comment,
            digest=digest,
            item=item,
        )
        return comment, outcome, reasons

    @staticmethod
    def own_comment(record, post):
        if not record.original_id.isdigit():
            return None
        return XtdComment.norel_objects.filter(
            pk=int(record.original_id),
            object_pk=str(post.pk),
            content_type=ContentType.objects.get_for_model(post),
        ).first()

    @staticmethod
    def within_depth(parent, post):
        """The parent itself, or its ancestor at the deepest level a reply may hang from."""
        if parent is None:
            return None, 0
        deepest = max_thread_level_for_content_type(ContentType.objects.get_for_model(post))
        cut = 0
        while parent.level >= deepest and parent.parent_id != parent.pk:
            parent = XtdComment.norel_objects.get(pk=parent.parent_id)
            cut = deepest
        return parent, cut
