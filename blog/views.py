from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, MonthArchiveView, YearArchiveView
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

NEIGHBOUR_FIELDS = ("title", "slug", "summary", "published_at")
SEARCH_QUERY_MAX_LENGTH = 200


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
            .filter(
                slug=self.kwargs["slug"], published_at__gte=month_start, published_at__lt=month_end
            )
            .order_by("-published_at", "-pk")
            .first()
        )
        if post is None:
            raise Http404("No post here.")
        return post

    def get_context_data(self, **kwargs):
        post = self.object
        neighbours = Post.objects.published().only(*NEIGHBOUR_FIELDS)
        cursor = (post.published_at, post.pk)
        newer = neighbours.filter(newer_than(*cursor)).order_by(*OLDEST_FIRST).first()
        older = neighbours.filter(older_than(*cursor)).order_by(*NEWEST_FIRST).first()
        return super().get_context_data(newer_post=newer, older_post=older, **kwargs)


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


class DatedPostArchiveMixin(PublishedPostMixin):
    """Prefetch labels only for the listed posts: the next/previous period lookups use
    get_queryset() too, and would otherwise prefetch labels for a post nobody shows."""

    date_field = "published_at"
    context_object_name = "posts"

    def get_queryset(self):
        return Post.objects.published()

    def get_dated_queryset(self, **lookup):
        return super().get_dated_queryset(**lookup).for_listing()


class PostYearArchiveView(DatedPostArchiveMixin, YearArchiveView):
    template_name = "blog/post_archive_year.html"
    make_object_list = True


class PostMonthArchiveView(DatedPostArchiveMixin, MonthArchiveView):
    template_name = "blog/post_archive_month.html"
    month_format = "%m"
    paginate_by = 50


def archive_index(request):
    months = (
        Post.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(post_count=Count("pk"))
        .order_by("-month")
    )
    return render(request, "blog/archive.html", {"months": months})


def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    page_obj = None
    if query:
        results = (
            Post.objects.published()
            .for_listing()
            .filter(
                Q(title__icontains=query) | Q(body__icontains=query) | Q(tags__name__iexact=query)
            )
            .distinct()
        )
        page_obj = Paginator(results, settings.QUIRE_POSTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(request, "blog/search.html", {"query": query, "page_obj": page_obj})


class PageDetailView(DetailView):
    template_name = "blog/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published()


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
