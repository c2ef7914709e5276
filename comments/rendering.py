"""A commenter's plain text as the HTML readers, feeds and emails show."""

import re

from django.utils.html import urlize
from django.utils.safestring import mark_safe

LINK_REL = "nofollow ugc noopener"
# In a comment's text, only the overrides: they draw letters in the reverse of their order, so
# "gnp.exe" reads as "exe.png". Embeddings and isolates have their use in right-to-left text.
# Dropped from what is posted (comments.forms) and from whatever else is shown (imports).
DIRECTION_OVERRIDES = re.compile("[\u202d\u202e]")


def comment_text(text):
    """Escaped, paragraphs and line breaks kept, links live."""
    text = DIRECTION_OVERRIDES.sub("", str(text))
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = []
    for paragraph in paragraphs:
        # urlize escapes everything it does not turn into a link (autoescape=True).
        linked = urlize(paragraph.strip("\n"), nofollow=False, autoescape=True)
        linked = linked.replace("<a href=", f'<a rel="{LINK_REL}" href=')
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))
