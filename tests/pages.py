"""Walking a stream of posts page by page, as a reader clicking "Older" or "Newer" would."""

import re
from dataclasses import dataclass

OLDER_LINK = re.compile(r'<a class="older" rel="next" href="(\?before=[^"]+)">Older posts →</a>')
NEWER_LINK = re.compile(r'<a class="newer" rel="prev" href="(\?after=[^"]+)">← Newer posts</a>')
POST_TITLE = re.compile(r'<h3 class="post-title"><a href="[^"]+">([^<]+)</a></h3>')
LOOPING = 50  # No test stream is this long: more pages than this means the links go round.


@dataclass(frozen=True)
class WalkedPage:
    url: str  # the address that answered, after any redirect
    content: str
    titles: list[str]


def walk_pages(client, url, link=OLDER_LINK, *, stop_after=None):
    """Follow one kind of pagination link from `url` until it runs out, or for `stop_after` pages.

    Every page must answer 200. A Newer link that reaches the newest posts redirects to the
    stream's own address; that redirect is followed.
    """
    pages = []
    while url and len(pages) != stop_after:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        content = response.content.decode()
        pages.append(WalkedPage(answered_url(response), content, POST_TITLE.findall(content)))
        found = link.search(content)
        url = found and url.split("?")[0] + found[1].replace("&amp;", "&")
        assert len(pages) < LOOPING, "pagination loops"
    return pages


def answered_url(response):
    query = response.wsgi_request.GET.urlencode()
    return response.wsgi_request.path + (f"?{query}" if query else "")


def titles_by_page(pages):
    """The post titles on each walked page, page by page."""
    return [page.titles for page in pages]
