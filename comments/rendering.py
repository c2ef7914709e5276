"""A commenter's plain text as the HTML readers, feeds and emails show."""

from django.utils.html import urlize
from django.utils.safestring import mark_safe

LINK_REL = "nofollow ugc noopener"


def comment_text(text):
    """Escaped, paragraphs and line breaks kept, links live."""
    paragraphs = [p for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = []
    for paragraph in paragraphs:
        # urlize escapes everything it does not turn into a link (autoescape=True).
        linked = urlize(paragraph.strip("\n"), nofollow=False, autoescape=True)
        linked = linked.replace("<a href=", f'<a rel="{LINK_REL}" href=')
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))
