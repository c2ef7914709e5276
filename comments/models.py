from django.db import models
from django.utils.safestring import mark_safe

from .rendering import comment_text


class CommentHTML(models.Model):
    """A comment's HTML, made when it is saved (a post_save receiver), joined to the thread."""

    # A table of ours one-to-one with the library's comment: its model stays the library's.
    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_html",
    )
    html = models.TextField()

    class Meta:
        verbose_name = "comment HTML"
        verbose_name_plural = "comment HTML"

    def __str__(self):
        return f"HTML of comment {self.comment_id}"


def comment_html_fill(comment):
    """Store the HTML of a comment's text: every save of a comment passes here."""
    html = comment_text(comment.comment)
    if not CommentHTML.objects.filter(comment_id=comment.pk).update(html=html):
        CommentHTML.objects.create(comment_id=comment.pk, html=html)


def comment_html(comment):
    """The stored HTML; rendered now only for a comment saved without signals (a raw update)."""
    try:
        return mark_safe(comment.stored_html.html)  # Made by comment_text, which escapes.
    except CommentHTML.DoesNotExist:
        return comment_text(comment.comment)
