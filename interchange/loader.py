"""Records from a reader, written through the blog's and comments' own services, one entry at
a time: each entry is its own transaction, so a bad one is listed and the rest goes in."""

import datetime as dt
import posixpath
import uuid
from urllib.parse import urlsplit

from anyascii import anyascii
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import Truncator, slugify
from taggit.models import Tag

from blog.models import Page, Post, TaggedPost, month_bounds
from blog.publishing import published_elsewhere
from blog.rendering import plain_text
from blog.services import post_change_status, posts_create_many

from . import addresses, threads
from .batch import NewPosts
from .bodies import as_body, plain_title, teaser_of
from .ledger import CREATED, FAILED, SKIPPED, UNCHANGED, UPDATED, Listed
from .models import LegacyAddress
from .provenance import Provenance, record_digest
from .readers import label_key
from .records import (
    AddressRecord,
    AttachmentRecord,
    AuthorRecord,
    BlogRecord,
    CommentRecord,
    LabelRecord,
    PostRecord,
    SkippedRecord,
)
from .slugs import clean_slug, slug_from_path, unique_slug, visible

TAG_NAME_LIMIT = Tag._meta.get_field("name").max_length
TITLE_LIMIT = Post._meta.get_field("title").max_length
NAVIGATION_ORDER_LIMIT = 32767  # PositiveSmallIntegerField


def written_order(comment):
    """When a comment was written; undated ones last, and ties in the file's order."""
    return (
        comment.submitted_at is None,
        comment.submitted_at or dt.datetime.min.replace(tzinfo=dt.UTC),
    )


class Loader:
    """One import run: the provenance of its source, its ledger and the choices it was given."""

    def __init__(self, *, blog, platform, ledger, author=None, images=None, replace_edited=False):
        self.blog, self.platform, self.ledger = blog, platform, ledger
        # Entries edited here since the last import keep the author's version, unless told.
        self.replace_edited = replace_edited
        self.provenance = Provenance(source=blog.source, run=uuid.uuid4().hex)
        self.author, self.images = author, images
        self.users, self.tags = {}, {}
        self.threads = threads.Threads(loader=self)
        self.new_posts = NewPosts(loader=self)
        self.pages_in_navigation = 0
        self.covers_left_behind = 0  # Featured images, when images are not fetched.
        self.category_parents = {}  # A WordPress category's slug -> its parent's slug.
        self.posts_in_file = set()  # Ids of the posts and pages read: a comment's may not be.
        self.old_hosts = {urlsplit(blog.base_url).netloc.lower()} - {""}
        # This blog's own export, read back in: its entries are here already (own_entry).
        self.own_blog = (
            blog.source.startswith("quire:")
            and urlsplit(blog.base_url).netloc.lower() == settings.QUIRE_DOMAIN.lower()
        )
        if images is not None:
            images.bind(self)

    def start(self):
        with transaction.atomic():
            addresses.keep_feed_addresses(platform=self.platform)

    def take(self, record):
        """Account for one record."""
        if isinstance(record, BlogRecord):
            return
        if not isinstance(record, PostRecord | AuthorRecord | LabelRecord):
            self.flush()
        if isinstance(record, SkippedRecord):
            self.ledger.record(
                record.kind, SKIPPED, record.original_id, record.title, record.reason
            )
        elif isinstance(record, CommentRecord):
            self.threads.take(record)
        elif isinstance(record, AuthorRecord):
            self.entry(record, self.author_entry)
        elif isinstance(record, LabelRecord):
            self.label(record)
        elif isinstance(record, AttachmentRecord):
            self.entry(record, self.attachment_entry)
        elif isinstance(record, AddressRecord):
            self.entry(record, self.address_entry)
        elif isinstance(record, PostRecord):
            self.posts_in_file.add(record.original_id)
            # Labels and authors first, in transactions of their own: a post that fails
            # must not take them down with it.
            for label in record.labels:
                self.tag_for(label)
            if record.kind == "post" and record.status != "trash":
                self.user_for(record.author)
                self.new_posts.add(record)
            else:
                self.flush()
                self.take_post(record)

    def take_post(self, record):
        """One post or page in its own transaction, then its comments (WXR), each in theirs."""
        post = self.entry(record, self.post_entry)
        if isinstance(post, Page) and not record.allow_comments:
            self.threads.closed_pages.add(post.pk)
        self.take_comments(record, post if isinstance(post, Post | Page) else None)

    def take_comments(self, record, post):
        """In the order they were written: a thread shows in the order its comments were made,
        whatever order the file lists them in."""
        for comment in sorted(record.comments, key=written_order):
            self.threads.take(comment, post=post)

    def flush(self):
        """Write the posts waiting in the batch: call before anything that may depend on them."""
        self.new_posts.flush()

    def finish(self):
        self.flush()
        self.threads.finish()
        if self.covers_left_behind:
            self.ledger.note(
                f"{self.covers_left_behind} post(s) have a featured image on the old blog: "
                "import again with --download-images to make them their covers."
            )
        if self.pages_in_navigation:
            self.ledger.note(
                f"{self.pages_in_navigation} published page(s) added to the navigation, in the "
                "file's order: Admin → Pages chooses which show."
            )
        from .links import rewrite_links

        rewrite_links(loader=self)

    def entry(self, record, write):
        """Run write(record) in its own transaction; the ledger hears how it went."""
        title = plain_title(getattr(record, "title", "") or getattr(record, "name", ""))
        try:
            with transaction.atomic():
                obj, outcome, reasons = write(record)
        except Exception as error:  # One bad entry is reported; the rest goes in.
            self.ledger.record(
                record.kind, FAILED, record.original_id, title, f"not imported: {error}"
            )
            return None
        itemised = any(isinstance(reason, Listed) for reason in reasons)
        self.ledger.record(
            record.kind, outcome, record.original_id, title, "; ".join(reasons), itemised=itemised
        )
        return obj

    # Authors ---------------------------------------------------------------------------

    def user_for(self, author):
        """The account an exported author writes under: --author, or one made for them."""
        if self.author is not None:
            return self.author
        key = (author.original_id if author else "") or "unknown"
        if key not in self.users:
            user = self.provenance.find("author", key)
            if user is None:
                user = self.author_entry(author or AuthorRecord(key, "Unknown author"))[0]
            self.users[key] = user
        return self.users[key]

    def author_entry(self, record):
        item, occurrence = self.provenance.claim("author", record.original_id)
        if item is not None and item.content_object is not None:
            self.provenance.touch(item)
            self.users[record.original_id] = item.content_object
            return item.content_object, UNCHANGED, []
        if self.author is not None:
            return self.author, SKIPPED, [f"written as {self.author.get_username()}"]
        users = get_user_model().objects
        same = users.filter(username=record.login).first() if record.login else None
        if same is not None and (not record.email or same.email.lower() == record.email.lower()):
            # Moving one's own blog: the account already here is the author's.
            self.provenance.bind(
                kind="author", original_id=record.original_id, occurrence=occurrence, obj=same
            )
            self.users[record.original_id] = same
            return same, UNCHANGED, ["matched the account already here"]
        base = slugify(anyascii(record.login or record.name))[:140] or "author"
        username = unique_slug(base, lambda name: users.filter(username=name).exists(), 150)
        user = users.create(
            username=username,
            first_name=visible(record.name)[:150],
            email=record.email[:254],
            is_active=False,  # Someone gives them a password (and staff) when they want to.
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        self.provenance.bind(
            kind="author", original_id=record.original_id, occurrence=occurrence, obj=user
        )
        self.users[record.original_id] = user
        return user, CREATED, []

    # Labels ----------------------------------------------------------------------------

    def label(self, record):
        self.tag_for(record)

    def tag_for(self, label):
        """The Tag for a label name (Blogger) or LabelRecord (WXR); counted once per run."""
        key = label_key(label)
        if key in self.tags:
            return self.tags[key]
        record = label if isinstance(label, LabelRecord) else LabelRecord(key, label)
        if is_default_category(record):
            self.ledger.record(
                "label", SKIPPED, record.original_id, record.name,
                "WordPress' category for posts given none: not a label here",
            )  # fmt: skip
            self.tags[key] = None
            return None
        tag = self.entry(record, self.label_entry)
        self.tags[key] = tag
        return tag

    def label_entry(self, record):
        if record.parent:
            self.category_parents[record.slug] = record.parent
        item, occurrence = self.provenance.claim("label", record.original_id)
        if item is not None and item.content_object is not None:
            self.provenance.touch(item)
            self.keep_label_addresses(record, item.content_object)  # Forms added since, too.
            return item.content_object, UNCHANGED, []
        reasons = []
        name = visible(plain_title(record.name)) or record.slug or record.original_id
        if len(name) > TAG_NAME_LIMIT:
            name = name[:TAG_NAME_LIMIT]
            reasons.append(f"name cut to {TAG_NAME_LIMIT} characters")
        tag = Tag.objects.filter(name=name).first()
        outcome = UNCHANGED if tag else CREATED
        if tag is None:
            slug = clean_slug(record.slug, name, fallback_seed=record.original_id, max_length=90)
            slug = unique_slug(slug, lambda s: Tag.objects.filter(slug=s).exists(), 100)
            tag = Tag.objects.create(name=name, slug=slug)
        else:
            reasons.append("matched the label already here")
        self.provenance.bind(
            kind="label", original_id=record.original_id, occurrence=occurrence, obj=tag
        )
        self.keep_label_addresses(record, tag)
        return tag, outcome, reasons

    def keep_label_addresses(self, record, tag):
        taxonomy = record.original_id.partition(":")[0]  # WXR's: category:x, post_tag:x
        addresses.keep_label_addresses(
            platform=self.platform,
            tag=tag,
            slug=record.slug,
            taxonomy=taxonomy,
            term_id=record.term_id,
            ancestors=self.ancestors(record.slug) if taxonomy == "category" else (),
        )

    def ancestors(self, slug):
        """A category's parents, the outermost first, as the file's categories name them (a
        parent comes before its children in WordPress' export); a loop ends where it repeats."""
        chain, parent = [], self.category_parents.get(slug)
        while parent and parent not in chain and parent != slug:
            chain.insert(0, parent)
            parent = self.category_parents.get(parent)
        return chain

    # Posts and pages -------------------------------------------------------------------

    def post_entry(self, record):
        kind = record.kind
        if record.status == "trash":
            return self.trashed(record)
        item, occurrence = self.provenance.claim(kind, record.original_id)
        reasons = [] if occurrence == 1 else [f"shares its id with an earlier {kind}: kept too"]
        digest = record_digest(record)
        obj = item.content_object if item is not None else None
        edited = obj is not None and self.provenance.edited_here(item, obj)
        changed_there = obj is not None and item.fingerprint != digest
        if edited and changed_there and not self.replace_edited:
            self.provenance.touch(item)
            reasons.append(
                Listed(
                    f"edited here since the last import: kept as it is here ({str(obj)!r}), "
                    "without the old blog's changes to it (to take them, import again with "
                    '--replace-edited, or with "Replace entries edited here" ticked in the admin)'
                )
            )
            return obj, SKIPPED, reasons
        if edited and changed_there:
            reasons.append(
                Listed(
                    f"edited here since the last import ({str(obj)!r}): replaced by the old blog's"
                )
            )
        if obj is not None and not changed_there:
            self.provenance.touch(item)
            rewritten = self.images_for(obj)
            if not edited and (rewritten or not item.written):
                self.provenance.remember_written(item, obj)
            return obj, UNCHANGED, reasons
        own = self.own_entry(record) if item is None and self.own_blog else None
        if own is not None:
            obj = own
            reasons.append("already in this blog, whose export this is: updated, not copied")
        tags = list(dict.fromkeys(t for t in map(self.tag_for, record.labels) if t is not None))
        if kind == "page":
            obj = self.save_page(record, obj, reasons)
        else:
            obj = self.save_post(record, obj, reasons, tags)
        is_new = item is None and own is None
        addresses.keep_addresses(
            obj=obj, addresses=record.old_addresses, is_page=kind == "page", is_new=is_new
        )
        item = self.provenance.bind(
            kind=kind,
            original_id=record.original_id,
            occurrence=occurrence,
            obj=obj,
            digest=digest,
            item=item,
        )
        self.images_for(obj)
        if kind == "post":
            self.cover_for(record, obj)
        self.provenance.remember_written(item, obj)  # After the import's last save of it.
        return obj, CREATED if is_new else UPDATED, reasons

    def own_entry(self, record):
        """The post or page of this blog an entry of its own export is: a post by its id (the
        writer's post_id is the row's), a page by its address (its id is offset)."""
        if record.kind == "post":
            if not record.original_id.isdigit():
                return None
            return Post.objects.filter(pk=int(record.original_id)).first()
        link = record.old_addresses[0] if record.old_addresses else ""
        try:
            match = resolve(urlsplit(link).path)
        except Resolver404:
            return None
        if match.view_name != "blog:page_detail":
            return None
        return Page.objects.filter(slug=match.kwargs["slug"]).first()

    def address_entry(self, record):
        """An old address of the exported blog, leading where it led there, by the file's ids."""
        targets = {}
        wanted = (("post", record.post_id, "post"), ("page", record.page_id, "page"),
                  ("tag", record.label and f"post_tag:{record.label}", "label"))  # fmt: skip
        for field_name, original_id, kind in wanted:
            if original_id:
                targets[field_name] = self.provenance.find(kind, original_id)
                if targets[field_name] is None:
                    return None, SKIPPED, [f"the {kind} it leads to was not imported"]
        address = LegacyAddress(path=record.path, url_name=record.url_name, **targets)
        try:
            address.clean()
        except ValidationError as error:
            return None, SKIPPED, [" ".join(error.messages)]
        fields = {name: getattr(address, name) for name in ("post", "page", "tag", "url_name")}
        existing = LegacyAddress.objects.filter(path=address.path).first()
        if existing is not None and all(getattr(existing, k) == v for k, v in fields.items()):
            return existing, UNCHANGED, []
        address, created = LegacyAddress.objects.update_or_create(
            path=address.path, defaults=fields
        )
        return address, CREATED if created else UPDATED, []

    def trashed(self, record):
        """In the trash on the old blog: nothing here, or no longer public if an earlier import
        made it (a newer export is the old blog as it is now)."""
        item, occurrence = self.provenance.claim(record.kind, record.original_id)
        earlier = item.content_object if item is not None else None
        if earlier is None:
            return None, SKIPPED, ["in the trash on the old blog"]
        # Remembered as trashed, so that an entry taken out of the trash there comes back.
        self.provenance.bind(
            kind=record.kind,
            original_id=record.original_id,
            occurrence=occurrence,
            obj=earlier,
            digest=record_digest(record),
            item=item,
        )
        was_edited = self.provenance.edited_here(item, earlier)
        if isinstance(earlier, Post) and earlier.status == Post.Status.PUBLISHED:
            post_change_status(post=earlier, status=Post.Status.DRAFT)
        elif isinstance(earlier, Page) and earlier.is_published:
            earlier.is_published = False
            earlier.save()
        else:
            return earlier, UNCHANGED, ["in the trash on the old blog: a draft here already"]
        if not was_edited:
            self.provenance.remember_written(item, earlier)
        return earlier, UPDATED, ["in the trash on the old blog now: made a draft here"]

    def common_fields(self, record, reasons):
        body = record.body if record.is_markdown else as_body(record.body)
        title = plain_title(record.title)
        if not title:
            title = Truncator(plain_text(body)).words(8, truncate="…") or "Untitled"
            reasons.append("had no title: named after its first words")
        if record.date_problem and record.published_at is not None:
            reasons.append(record.date_problem)  # Dated otherwise by the reader, which says how.
        elif record.date_problem:
            reasons.append(
                f"{record.date_problem}: dated by its last update"
                if record.updated_at
                else f"{record.date_problem}: dated today"
            )
        published_at = record.published_at or record.updated_at or timezone.now()
        if record.status in ("private", "pending"):
            reasons.append(f"{record.status} on the old blog: kept as a draft")
        elif record.status == "protected":
            reasons.append(
                "password-protected on the old blog: kept as a draft, since Quire has no "
                "passwords (publish it to show it to everyone)"
            )
        if len(title) > TITLE_LIMIT:
            reasons.append(f"its title cut to {TITLE_LIMIT} characters")
        return {"title": title[:TITLE_LIMIT], "body": body}, published_at

    def post_fields(self, record, reasons):
        """The Post fields an entry asks for, and the slug it would like."""
        fields, published_at = self.common_fields(record, reasons)
        public = record.status in ("published", "scheduled")
        fields.update(
            status=Post.Status.PUBLISHED if public else Post.Status.DRAFT,
            published_at=published_at,
            excerpt=record.excerpt
            if record.is_markdown
            else teaser_of(record.excerpt, record.body),
            allow_comments=record.allow_comments,
            author=self.user_for(record.author),
        )
        wanted = clean_slug(
            record.slug,
            *(slug_from_path(a) for a in record.old_addresses if "?" not in a),
            fields["title"],
            fallback_seed=record.original_id,
        )
        return fields, wanted

    def save_post(self, record, post, reasons, tags):
        fields, wanted = self.post_fields(record, reasons)
        if post is None:
            post = Post(**fields)
        else:
            for name, value in fields.items():
                setattr(post, name, value)
        if post.pk is None or post.slug != wanted:
            post.slug = unique_slug(wanted, lambda slug: self.slug_taken(post, slug))
        if post.pk is None:
            posts_create_many(posts=[post])
            # One insert; posts_create_many has already told the page cache.
            TaggedPost.objects.bulk_create([TaggedPost(content_object=post, tag=t) for t in tags])
        else:
            post.save()
            # A draft the old blog has published since the last import was announced there:
            # readers of the old blog have seen it, so it is not news here (as in bulk inserts).
            published_elsewhere(post)
            post.tags.set(tags)
        return post

    @staticmethod
    def slug_taken(post, slug):
        local = timezone.localtime(post.published_at)
        start, end = month_bounds(local.year, local.month)
        same = Post.objects.filter(slug=slug, published_at__gte=start, published_at__lt=end)
        return same.exclude(pk=post.pk).exists()

    def save_page(self, record, page, reasons):
        fields, published_at = self.common_fields(record, reasons)
        fields["is_published"] = record.status == "published"
        wanted = clean_slug(
            record.slug,
            *(slug_from_path(a) for a in record.old_addresses if "?" not in a),
            fields["title"],
            fallback_seed=record.original_id,
        )
        if page is None:
            # As Blogger's Pages gadget and a WordPress menu list them: published pages in the
            # navigation, in the file's order. A later import leaves the author's choice alone.
            self.pages_in_navigation += fields["is_published"]
            page = Page(
                show_in_navigation=fields["is_published"],
                navigation_order=min(self.pages_in_navigation, NAVIGATION_ORDER_LIMIT),
                # Off, as for a page written here, unless Quire's own export says on; a page
                # with comments in the file has them turned on as they come (threads.py).
                allow_comments=record.is_markdown and record.allow_comments,
            )
        for name, value in fields.items():
            setattr(page, name, value)
        if page.pk is None or page.slug != wanted:
            taken = Page.objects.exclude(pk=page.pk).filter
            page.slug = unique_slug(wanted, lambda slug: taken(slug=slug).exists())
        page.save()
        # The page's own dates, not the day of the import: auto_now fields take no value.
        Page.objects.filter(pk=page.pk).update(
            created_at=published_at, updated_at=max(published_at, record.updated_at or published_at)
        )
        return page

    def images_for(self, obj):
        """Whether the object's images were pointed at our copies (and the object saved)."""
        return self.images is not None and self.images.localise(obj)

    def cover_for(self, record, post):
        """The old blog's featured image as the post's cover, a copy of the library image
        fetched for it; a cover chosen here stays. Without fetching, the ledger counts them.
        Whether the post got its cover (and was saved)."""
        if not record.cover_url or post.cover:
            return False
        if self.images is None:
            self.covers_left_behind += 1
            return False
        try:
            with transaction.atomic():
                image, _outcome, reason = self.images.fetch(
                    record.cover_url, title=str(post), alt=record.cover_alt
                )
                if image is not None:
                    with image.image.open("rb") as file:
                        name = posixpath.basename(image.image.name)
                        post.cover.save(name, File(file), save=False)
                    post.cover_alt = (record.cover_alt or image.alt_text or post.title)[:300]
                    post.save()
        except Exception as error:  # A cover must not cost the post it is on.
            image, reason = None, f"could not be stored: {error}"
        if image is None:
            self.ledger.note(
                f"The featured image {record.cover_url} of {str(post)!r} was not fetched "
                f"({reason}): the post has no cover."
            )
        return image is not None

    # Attachments -----------------------------------------------------------------------

    def attachment_entry(self, record):
        if self.images is None:
            return None, SKIPPED, ["an attachment: images come along with --download-images"]
        image, outcome, reason = self.images.fetch(record.url, title=record.title, alt=record.alt)
        return image, outcome, [reason] if reason else []


def is_default_category(label):
    """WordPress files every post its author gave no category under "Uncategorized": as a
    label it would stand on most posts and say nothing. Renamed, it is the author's own."""
    return label.original_id == "category:uncategorized" and label.name.lower() == "uncategorized"


def now():
    return dt.datetime.now(dt.UTC)


__all__ = ["FAILED", "Loader"]
