"""Search posts: PostgreSQL full-text search, SQLite FTS5, or every word with icontains.

Each backend keeps its own index, filled by `index_posts` from the one write path (Post.save,
posts_create_many, label changes) in the writer's transaction, so a post is findable the moment
it is committed. Queries take web-style syntax on every backend: "a phrase", -word, either OR or.
"""

import functools
import html
import logging
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .pagination import NEWEST_FIRST
from .rendering import plain_text

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 32
# Ranking looks at the newest this many matches, so a word on every post costs what a rare one
# does; it is also the most results a search shows (pages of QUIRE_POSTS_PER_PAGE).
MAX_RESULTS = 500

FTS5_TABLE = "blog_post_search"
# Title over labels over body, for bm25 (SQLite) and the tsvector weights A, B, C (PostgreSQL).
FTS5_WEIGHTS = (10.0, 5.0, 1.0)
# Past this, text is not indexed: a tsvector holds at most 1 MB and positions stop at 16,383.
MAX_INDEXED_CHARS = 250_000
INDEX_BATCH = 500

# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, Japanese, Chinese):
# neither tokenizer splits their words, so a term in them is matched as a substring instead.
UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"
)

# Rare characters around each highlighted word, turned into <mark> only after escaping.
START, STOP = "\ue000", "\ue001"

# PostgreSQL's built-in text search configurations, by language code.
PG_CONFIGS = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "ga": "irish", "hu": "hungarian",
    "id": "indonesian", "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali",
    "nl": "dutch", "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip

PG_VECTOR_SQL = """
    UPDATE blog_post SET search_vector =
        setweight(to_tsvector(%(config)s::regconfig, blog_post.title), 'A')
        || setweight(to_tsvector(%(config)s::regconfig, coalesce((
            SELECT string_agg(tag.name, ' ') FROM blog_taggedpost AS link
            JOIN taggit_tag AS tag ON tag.id = link.tag_id
            WHERE link.content_object_id = blog_post.id), '')), 'B')
        || setweight(to_tsvector(%(config)s::regconfig, left(blog_post.body_html, %(limit)s)), 'C')
    WHERE blog_post.id = ANY(%(ids)s)
"""
# Tags in body_html are skipped by to_tsvector and blanked by ts_headline: no copy as text.
SQLITE_ROWS_SQL = """
    SELECT post.id, post.title, post.body_html, (
        SELECT group_concat(tag.name, ' ') FROM blog_taggedpost AS link
        JOIN taggit_tag AS tag ON tag.id = link.tag_id WHERE link.content_object_id = post.id)
    FROM blog_post AS post WHERE post.id IN ({ids})
"""


def search_config():
    """The PostgreSQL text search configuration: QUIRE_SEARCH_CONFIG, else the site's language."""
    language = settings.LANGUAGE_CODE.lower().split("-")[0]
    return settings.QUIRE_SEARCH_CONFIG or PG_CONFIGS.get(language, "simple")


@functools.cache
def fts5_available():
    """Whether this Python's SQLite has FTS5 (asked of a throwaway database, once)."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


@functools.cache
def backend(vendor):
    if vendor == "postgresql":
        return "postgresql"
    if vendor == "sqlite" and fts5_available():
        return "fts5"
    logger.warning(
        "Search: no full-text index on %s; matching every word anywhere with icontains.", vendor
    )
    return "words"


# --- The query ---------------------------------------------------------------------------


def clean_query(raw):
    """What we search for: control characters (NUL included) gone, spaces folded, capped."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


@dataclass
class Group:
    """Terms that must all be there, and terms that must not; groups are joined by OR."""

    wanted: list = field(default_factory=list)
    unwanted: list = field(default_factory=list)


TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(query):
    """Web-style syntax, as websearch_to_tsquery reads it: "phrase", -word, a OR b."""
    groups, group, terms = [], Group(), 0
    for match in TOKEN.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None and word.upper() == "OR":
            if group.wanted:
                groups.append(group)
                group = Group()
            continue
        if word is not None and word.startswith("-"):
            minus, word = "-", word.lstrip("-")
        term = phrase if word is None else word.strip('"')
        if not any(ch.isalnum() for ch in term) or terms >= MAX_TERMS:
            continue
        terms += 1
        (group.unwanted if minus else group.wanted).append(term)
    if group.wanted:
        groups.append(group)
    return groups  # A group of unwanted words alone would match nearly everything: dropped.


def fts5_quoted(term):
    """A term as an FTS5 string: every operator and column name in it loses its meaning."""
    return '"' + term.replace('"', '""') + '"'


def fts5_expression(groups):
    parts = []
    for group in groups:
        part = "(" + " AND ".join(fts5_quoted(term) for term in group.wanted) + ")"
        for term in group.unwanted:
            part = f"({part} NOT {fts5_quoted(term)})"
        parts.append(part)
    return " OR ".join(parts)


def highlight(fragment, *, from_html=False):
    """A snippet as safe HTML: all of it escaped, then our sentinels made into balanced <mark>s."""
    if from_html:
        fragment = html.unescape(fragment)
    out, is_open = [], False
    for part in re.split(f"([{START}{STOP}])", " ".join(fragment.split())):
        if part in (START, STOP):
            if is_open != (part == START):
                out.append("<mark>" if part == START else "</mark>")
                is_open = not is_open
        else:
            out.append(escape(part))
    return mark_safe("".join(out) + ("</mark>" if is_open else ""))


# --- Results -----------------------------------------------------------------------------


def search_posts(query, *, per_page=None, page=None, using="default"):
    """A page of published posts that match, best first, each with .snippet (or None)."""
    from .models import Post

    per_page = per_page or settings.QUIRE_POSTS_PER_PAGE
    groups = parse(query)
    published = Post.objects.using(using).published()
    kind = backend(connections[using].vendor)
    if not groups:
        hits = published.none()
    elif kind == "words" or UNSPACED.search(query):
        hits = _word_hits(published, groups)
    elif kind == "postgresql":
        hits = _postgresql_hits(published, query)
    else:
        hits = Fts5Hits(published, fts5_expression(groups))
    page_obj = Paginator(hits, per_page).get_page(page)
    page_obj.object_list = list(page_obj.object_list)
    for post in page_obj.object_list:
        headline = getattr(post, "headline", None)
        post.snippet = None if headline is None else highlight(headline, from_html=True)
    return page_obj


def _postgresql_hits(published, query):
    config = search_config()
    tsquery = SearchQuery(query, config=config, search_type="websearch")
    newest_matches = published.filter(search_vector=tsquery).order_by(*NEWEST_FIRST)
    return (
        published.filter(pk__in=newest_matches.values("pk")[:MAX_RESULTS])
        .for_listing()
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery),
            # Computed for the page's rows only: PostgreSQL runs costly functions after LIMIT.
            headline=SearchHeadline(
                "body_html",
                tsquery,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter='" … "',
            ),
        )
        .order_by("-rank", *NEWEST_FIRST)
    )


def _word_hits(published, groups):
    """Without a full-text index (or for unspaced scripts): each word anywhere, newest first."""

    def anywhere(term):
        return Q(title__icontains=term) | Q(body__icontains=term) | Q(tags__name__iexact=term)

    match = Q()
    for group in groups:
        wanted = Q(*(Q(pk__in=published.filter(anywhere(t)).values("pk")) for t in group.wanted))
        for term in group.unwanted:
            wanted &= ~Q(pk__in=published.filter(anywhere(term)).values("pk"))
        match |= wanted
    newest = published.filter(match).order_by(*NEWEST_FIRST).values("pk")[:MAX_RESULTS]
    return published.filter(pk__in=newest).for_listing().order_by(*NEWEST_FIRST)


class Fts5Hits:
    """Matches in the FTS5 table, as Paginator wants them: count() and slices of posts.

    One query ranks the newest MAX_RESULTS public matches (it also gives the count); the
    page's posts then come through the published queryset, each with its snippet.
    """

    def __init__(self, published, expression):
        self.published = published
        self.expression = expression

    @functools.cached_property
    def ranked(self):
        # The one rule for public posts, compiled by the ORM and asked of each match's rowid.
        public = self.published.filter(pk=RawSQL(f"{FTS5_TABLE}.rowid", ())).order_by().values("pk")
        public_sql, public_params = public.query.sql_with_params()
        sql = (
            f"SELECT rowid, bm25({FTS5_TABLE}, %s, %s, %s) FROM {FTS5_TABLE} "
            f"WHERE {FTS5_TABLE} MATCH %s AND EXISTS ({public_sql}) ORDER BY rowid DESC LIMIT %s"
        )
        params = (*FTS5_WEIGHTS, self.expression, *public_params, MAX_RESULTS)
        with connections[self.published.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [pk for pk, score in sorted(rows, key=lambda row: (row[1], -row[0]))]

    def count(self):
        return len(self.ranked)

    def __getitem__(self, window):
        ids = self.ranked[window]
        # A snippet per post of the page, in the same query: FTS5 seeks each rowid directly.
        snippet = RawSQL(
            f"SELECT snippet({FTS5_TABLE}, 2, %s, %s, ' … ', 24) FROM {FTS5_TABLE} "
            f'WHERE {FTS5_TABLE} MATCH %s AND {FTS5_TABLE}.rowid = "blog_post"."id"',
            (START, STOP, self.expression),
        )
        posts = self.published.filter(pk__in=ids).for_listing().annotate(snippet_text=snippet)
        by_pk = {post.pk: post for post in posts}
        page = [by_pk[pk] for pk in ids if pk in by_pk]
        for post in page:
            post.headline = html.escape(post.snippet_text or "", quote=False)
        return page


# --- The index ---------------------------------------------------------------------------


def index_posts(ids, *, using="default"):
    """Bring the search index of these posts up to date with their stored rows."""
    ids = list(ids)
    connection = connections[using]
    kind = backend(connection.vendor)
    for start in range(0, len(ids), INDEX_BATCH):
        batch = ids[start : start + INDEX_BATCH]
        with connection.cursor() as cursor:
            if kind == "postgresql":
                params = {"config": search_config(), "limit": MAX_INDEXED_CHARS, "ids": batch}
                cursor.execute(PG_VECTOR_SQL, params)
            elif kind == "fts5":
                _fts5_index(cursor, batch)


def _fts5_index(cursor, ids):
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(SQLITE_ROWS_SQL.format(ids=placeholders), ids)
    rows = [
        (pk, title, labels or "", plain_text(body_html)[:MAX_INDEXED_CHARS])
        for pk, title, body_html, labels in cursor.fetchall()
    ]
    cursor.execute(f"DELETE FROM {FTS5_TABLE} WHERE rowid IN ({placeholders})", ids)
    cursor.executemany(
        f"INSERT INTO {FTS5_TABLE} (rowid, title, labels, body) VALUES (%s, %s, %s, %s)", rows
    )


def labels_changed(sender, instance, action, model, pk_set, **kwargs):
    """m2m_changed on Post.tags: labels are part of what a post is found by."""
    from .models import Post

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    ids = [instance.pk] if isinstance(instance, Post) else list(pk_set or ())
    index_posts(ids, using=kwargs.get("using") or "default")


def label_renamed(sender, instance, created, **kwargs):
    """A renamed label changes what its posts are found by."""
    if created:
        return
    ids = instance.blog_taggedpost_items.values_list("content_object_id", flat=True)
    index_posts(ids, using=kwargs.get("using") or "default")
