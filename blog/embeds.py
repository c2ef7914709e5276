"""Videos from a bare link on a line of its own, in each provider's privacy mode.

The frame is built after sanitising, from an id checked against the provider's pattern: an
<iframe> an author writes is still removed, and nothing of the link reaches the markup unchecked.
Each provider's frame host is allowed by frame-src in the Content-Security-Policy (settings.py).
"""

import re
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                 "www.youtube-nocookie.com"}  # fmt: skip
YOUTUBE_PATH = re.compile(r"^/(?:shorts|embed|live|v)/([^/]+)/?$")
VIMEO_ID = re.compile(r"[0-9]{1,12}")
VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
VIMEO_PAGE = re.compile(
    r"^/(?:channels/[\w-]+/|groups/[\w-]+/videos/)?([0-9]+)(?:/([0-9a-f]+))?/?$"
)
VIMEO_PLAYER = re.compile(r"^/video/([0-9]+)/?$")
TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")

# Frames may not do more than play: no camera, no payment, no sensors.
FRAME_ALLOW = "autoplay; encrypted-media; fullscreen; picture-in-picture"
# Our Referrer-Policy is same-origin; YouTube refuses to play in a frame that sends no referrer.
FRAME_REFERRER_POLICY = "strict-origin-when-cross-origin"

FRAME_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


@dataclass(frozen=True)
class Embed:
    provider: str
    video_id: str
    frame_url: str
    page_url: str
    is_portrait: bool = False

    def html(self):
        figure_class = "embed embed-portrait" if self.is_portrait else "embed"
        width, height = (315, 560) if self.is_portrait else (560, 315)
        return (
            f'<figure class="{figure_class}">'
            f'<iframe src="{escape(self.frame_url)}" width="{width}" height="{height}" '
            f'title="{self.provider} video {escape(self.video_id)}" loading="lazy" '
            f'allow="{FRAME_ALLOW}" allowfullscreen '
            f'referrerpolicy="{FRAME_REFERRER_POLICY}"></iframe>'
            f'<figcaption><a href="{escape(self.page_url)}">Watch on {self.provider}</a>'
            "</figcaption></figure>"
        )


def seconds(value):
    """YouTube's t=90, t=90s or t=1m30s, as seconds; None if it is not a time."""
    parts = TIME.match(value or "")
    if not parts or not any(parts.groups()):
        return None
    hours, minutes, secs = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + secs


def youtube(parts, query):
    host = parts.hostname
    if host == "youtu.be":
        video_id = parts.path.strip("/")
    elif host in YOUTUBE_HOSTS and parts.path == "/watch":
        video_id = query.get("v", [""])[0]
    elif host in YOUTUBE_HOSTS and (path := YOUTUBE_PATH.match(parts.path)):
        video_id = path.group(1)
    else:
        return None
    if not YOUTUBE_ID.fullmatch(video_id):
        return None
    start = seconds(query.get("t", query.get("start", [""]))[0])
    frame_url = f"https://www.youtube-nocookie.com/embed/{video_id}"
    page_url = f"https://www.youtube.com/watch?v={video_id}"
    if start:
        frame_url += f"?start={start}"
        page_url += f"&t={start}s"
    return Embed(
        "YouTube", video_id, frame_url, page_url, is_portrait=parts.path.startswith("/shorts/")
    )


def vimeo(parts, query):
    host = parts.hostname
    if host in ("vimeo.com", "www.vimeo.com") and (path := VIMEO_PAGE.match(parts.path)):
        video_id, secret = path.group(1), path.group(2) or ""
    elif host == "player.vimeo.com" and (path := VIMEO_PLAYER.match(parts.path)):
        video_id, secret = path.group(1), query.get("h", [""])[0]
    else:
        return None
    if not VIMEO_ID.fullmatch(video_id) or (secret and not VIMEO_HASH.fullmatch(secret)):
        return None
    # dnt=1: Vimeo's player sets no cookies and records no session.
    frame_url = f"https://player.vimeo.com/video/{video_id}?dnt=1"
    page_url = f"https://vimeo.com/{video_id}"
    if secret:  # an unlisted video plays only with its hash
        frame_url += f"&h={secret}"
        page_url += f"/{secret}"
    return Embed("Vimeo", video_id, frame_url, page_url)


PROVIDERS = (youtube, vimeo)


def find_embed(url):
    """The Embed an address on the allowlist stands for, or None."""
    url = url.strip()
    if url.lower().startswith("www."):
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.port not in (None, 80, 443):
            return None
    except ValueError:
        return None
    if parts.username or parts.password or not parts.hostname:
        return None
    query = parse_qs(parts.query)
    for provider in PROVIDERS:
        if embed := provider(parts, query):
            return embed
    return None


# A paragraph that is nothing but one link, as the sanitiser writes it.
BARE_LINK = re.compile(r'^<p><a href="([^"<>]*)" rel="noopener">([^<]*)</a></p>$', re.MULTILINE)


def embed_bare_links(html):
    """Each paragraph that is only the address of a video becomes the video, with a link below."""
    if "<p><a " not in html:
        return html

    def replace(match):
        href, text = unescape(match.group(1)), unescape(match.group(2))
        embed = find_embed(href)
        # The link's text is its address (linkify, <...> or [url](url)): not [my talk](url).
        if embed is None or find_embed(text) != embed:
            return match.group(0)
        return embed.html()

    return BARE_LINK.sub(replace, html)
