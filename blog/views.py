from django.conf import settings
from django.db.models import Count, Q, Subquery
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .models import Page, Post, month_bounds
from .pagination import (
    NEWEST_FIRST,
    OLDEST_FIRST,
    NewestPage,
    keyset_page,
    newer_than,
    older_than,
)
from .publishing import cached_until_posts_change
from .search import MAX_RESULTS, clean_query, search_posts

NEIGHBOUR_FIELDS = ("title", "slug", "summary", "published_at")


class PublishedPostMixin:
    """Every public page reads posts through the published queryset, and nothing else."""

    def get_queryset(self):
        return Post.objects.published().for_listing()


class PostStreamMixin(PublishedPostMixin):
    """Home and label pages: newest first, "Older posts" and "Newer posts" by cursor."""

    context_object_name = "posts"
    paginate_by = settings.QUIRE_POSTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except NewestPage:
            return redirect(request.path)

    def paginate_queryset(self, queryset, page_size):
        page = keyset_page(queryset, self.request.GET, page_size)
        return None, page, page.posts, page.has_other_pages


class PostListView(PostStreamMixin, ListView):
    template_name = "blog/post_list.html"


class TagPostListView(PostStreamMixin, ListView):
    template_name = "blog/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset, page_size)
        if not paginated[2]:  # A label that only drafts carry does not exist for the public.
            raise Http404("No posts with this label.")
        return paginated

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class PostDetailView(PublishedPostMixin, DetailView):
    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        try:
            month_start, month_end = month_bounds(self.kwargs["year"], self.kwargs["month"])
        except (ValueError, OverflowError) as error:
            raise Http404("No such month.") from error
        # A range rather than __year/__month: those become functions the index cannot use.
        # first(): posts written outside the admin may share a slug in a month; never a 500.
        post = (
            self.get_queryset()
            .within(published_at__gte=month_start, published_at__lt=month_end)
            .filter(slug=self.kwargs["slug"])
            .order_by("-published_at", "-pk")
            .first()
        )
        if post is None:
            raise Http404("No post here.")
        return post

    def get_context_data(self, **kwargs):
        post = self.object
        published = Post.objects.published()
        cursor = (post.published_at, post.pk)
        newer = published.within(newer_than(*cursor)).order_by(*OLDEST_FIRST).values("pk")[:1]
        older = published.within(older_than(*cursor)).order_by(*NEWEST_FIRST).values("pk")[:1]
        # One query for both: each side's id is a scalar subquery the database runs once, on
        # the (published_at, id) index, and the two rows come by their primary keys.
        both = published.only(*NEIGHBOUR_FIELDS).order_by()
        both = list(both.filter(Q(pk=Subquery(newer)) | Q(pk=Subquery(older))))
        return super().get_context_data(
            newer_post=next((n for n in both if (n.published_at, n.pk) > cursor), None),
            older_post=next((n for n in both if (n.published_at, n.pk) < cursor), None),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class PostPreviewView(PostDetailView):
    """Drafts and scheduled posts as they will look, for staff who may edit them."""

    def get_object(self, queryset=None):
        user = self.request.user
        if not (user.is_staff and user.has_perm("blog.change_post")):
            raise Http404("No post here.")
        return get_object_or_404(Post.objects.for_listing(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)


def first_day(moment, period):
    """The first day of the year or month of `moment`, as the blog's time zone sees it."""
    day = timezone.localtime(moment).date()
    return day.replace(month=1, day=1) if period == "year" else day.replace(day=1)


class PostPeriodArchiveMixin:
    """Year and month pages: one period's posts, and links to the nearest periods with posts.

    Not YearArchiveView/MonthArchiveView: those spend queries on an emptiness check, a
    date_list no template shows, and one lookup for each neighbouring period.
    """

    period = None  # "year" or "month"
    context_object_name = "posts"

    def get(self, request, *args, **kwargs):
        year = self.kwargs["year"]
        first, last = (1, 12) if self.period == "year" else (self.kwargs["month"],) * 2
        try:
            self.start, self.end = month_bounds(year, first)[0], month_bounds(year, last)[1]
        except (ValueError, OverflowError) as error:
            raise Http404("No such date.") from error
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Post.objects.published()
            .within(published_at__gte=self.start, published_at__lt=self.end)
            .order_by(*NEWEST_FIRST)
        )

    def neighbouring_periods(self):
        """The nearest periods before and after this one that have posts, in one query."""
        published = Post.objects.published()
        last_before = published.within(published_at__lt=self.start).order_by(*NEWEST_FIRST)
        first_after = published.filter(published_at__gte=self.end).order_by(*OLDEST_FIRST)
        dates = list(
            published.filter(
                Q(pk=Subquery(last_before.values("pk")[:1]))
                | Q(pk=Subquery(first_after.values("pk")[:1]))
            ).values_list("published_at", flat=True)
        )
        previous = next((first_day(at, self.period) for at in dates if at < self.start), None)
        following = next((first_day(at, self.period) for at in dates if at >= self.end), None)
        return previous, following

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        previous, following = self.neighbouring_periods()
        context[self.period] = self.start.date()
        context[f"previous_{self.period}"] = previous
        context[f"next_{self.period}"] = following
        return context


class PostYearArchiveView(PostPeriodArchiveMixin, ListView):
    template_name = "blog/post_archive_year.html"
    period = "year"
    allow_empty = False

    def get_queryset(self):
        # The year page lists titles and dates only.
        return super().get_queryset().only("title", "slug", "published_at")


class PostMonthArchiveView(PostPeriodArchiveMixin, ListView):
    template_name = "blog/post_archive_month.html"
    period = "month"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().for_listing()

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset, page_size)
        if not paginated[0].count:  # The paginator counts anyway: no query for exists().
            raise Http404("No posts this month.")
        return paginated


def archive_months():
    """Public posts per month, newest first: a scan of every post, so it is kept in the cache.

    With each month's name and address, so the page does no per-month work either.
    """
    months = list(
        Post.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(post_count=Count("pk"))
        .order_by("-month")
    )
    for entry in months:
        month = (
            timezone.localtime(entry["month"])
            if timezone.is_aware(entry["month"])
            else entry["month"]
        )
        entry["name"] = dateformat.format(month, "F")
        entry["url"] = reverse("blog:archive_month", args=(month.year, f"{month.month:02d}"))
    return months


def archive_index(request):
    months = cached_until_posts_change("blog:archive:months", archive_months)
    return render(request, "blog/archive.html", {"months": months})


def search(request):
    query = clean_query(request.GET.get("q", ""))
    page_obj = search_posts(query, page=request.GET.get("page")) if query else None
    context = {"query": query, "page_obj": page_obj, "max_results": MAX_RESULTS}
    return render(request, "blog/search.html", context)


class PageDetailView(DetailView):
    template_name = "blog/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published()


def robots_txt(request):
    """The sitemap at the site's own domain, as sitemap.xml names its pages, whatever host
    (an alias, an address) the request came by."""
    sitemap = f"{request.scheme}://{settings.QUIRE_DOMAIN}{reverse('sitemap')}"
    return render(request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain")
