import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw

from blog.models import Page, Post

# (days ago, title, tags, cover colours or None, body). Original text, written for Quire.
DEMO_POSTS = [
    (
        182,
        "Why I keep a paper notebook beside the keyboard",
        ["writing", "habits"],
        ((122, 46, 31), (214, 170, 110)),
        """Every piece I have finished in the last ten years started as a scrawl on paper.
The screen is where words go to be arranged; the notebook is where they are allowed to be wrong.

There is no undo on paper, and that turns out to be a kindness. A crossed-out line is still
there to read, and half the time the crossed-out line was the better one.

## What goes in it

* Sentences overheard on the bus.
* The question a draft is really trying to answer.
* Lists of words I want to use before the year is out.

I number the pages and keep an index on the last two. It takes a minute a week and it means
the notebook is a tool rather than a drawer.""",
    ),
    (
        170,
        "Winter light on the estuary",
        ["walking", "photography"],
        ((40, 70, 110), (220, 225, 235)),
        """The tide was out by three and the mud shone like pewter. Curlews worked the edge of the
water, and a single heron stood so still that two walkers passed without seeing it.

Light in December comes in sideways and low. It makes everything look like an engraving:
fence posts, reeds, the rib of an old boat that has been settling into the creek since
before I was born.

> The estuary does not care whether you came to look at it. That is most of its charm.

I went home with cold hands and eleven photographs, of which one is worth keeping.""",
    ),
    (
        155,
        "A small script to count the words in a folder of drafts",
        ["code", "writing"],
        None,
        """Writers ask me how I know how much I wrote in a month. The honest answer is a
few lines of Python that run every Sunday evening:

```python
from pathlib import Path

def count_words(folder):
    total = 0
    for path in Path(folder).glob("**/*.md"):
        total += len(path.read_text(encoding="utf-8").split())
    return total

print(count_words("~/drafts"))
```

It is crude: it counts headings and footnotes, and it cannot tell a draft from a shopping list.
But a crude number you look at every week beats a precise one you never compute.""",
    ),
    (
        141,
        "On reading slowly",
        ["reading", "habits"],
        None,
        """I used to race through books to reach the next one. Last year I tried the opposite: one
chapter a day, no more, with a pencil in hand.

The surprising result was not that I remembered more, though I did. It was that I argued
more. A slow reader has time to disagree with the author, and disagreement is where your own
ideas start.

Three books that reward the pace:

1. A collection of essays, because each one is complete.
2. A long novel with a large cast, because you get to know them as neighbours.
3. Anything translated, because you can hear two voices at once.""",
    ),
    (
        128,
        "Bread, badly, for a year",
        ["cooking", "habits"],
        ((150, 110, 60), (245, 230, 200)),
        """I promised myself I would bake a loaf every Saturday for a year. I kept the promise and
broke most of the loaves.

| Month | What went wrong |
|-------|-----------------|
| January | Dough too wet, shaped like a puddle |
| March | Oven too cool, crust like cardboard |
| June | Starter died while I was away |
| October | Nothing. It was simply good bread. |

The lesson is not about bread. It is that a skill is a pile of small failures that you
stop noticing once they are underneath you.""",
    ),
    (
        113,
        "Letters to a younger editor",
        ["writing", "editing"],
        None,
        """You will be tempted to fix every sentence. Don't. Fix the sentences that stop the
reader, and leave the ones that are merely not how you would have written them.

An editor's job is to make the piece more like itself, not more like the editor. Ask what the
writer was reaching for, and help them reach it.[^1]

When you cut, cut whole paragraphs before you cut words. Most drafts are too long by a
section, not by an adjective.

[^1]: The best editor I ever had wrote only questions in the margins.""",
    ),
    (
        97,
        "The map drawer",
        ["walking", "history"],
        None,
        """My grandfather kept Ordnance Survey maps in a wide, shallow drawer that smelled of
pipe smoke and pencil shavings. Each one was annotated in a tiny, upright hand: a gate that
was always locked, a farm dog to avoid, the best place to eat sandwiches out of the wind.

I have those maps now. Walking his routes with his notes is like walking with him. Some of
the gates have gone, but the dogs, or their descendants, are still there.""",
    ),
    (
        80,
        "What a static site taught me about caching",
        ["code", "web"],
        ((30, 90, 60), (190, 225, 200)),
        """For five years this blog was a folder of HTML files. It was fast because it did
nothing at request time: every page was computed once, when I wrote it.

Moving to a dynamic system, I wanted to keep that property. The rule I settled on:

* work that depends only on what the author wrote happens when the author saves;
* work that depends on the reader happens per request, and there should be very little of it.

Rendering Markdown, counting words, sizing images: all on save. The page a reader gets is
assembled from pieces that were ready before they arrived.""",
    ),
    (
        63,
        "Notes on a rainy week in Lisbon",
        ["travel", "photography"],
        None,
        """It rained for six days out of seven, which meant the trams were full and the cafés
fuller. I learned to order *uma bica* without pointing, and to carry a second pair of socks.

The city's tiles shine in the wet. Whole façades turn into mirrors, and a street you walked
down in the morning looks like a different street by evening.

On the seventh day the sun came out, and everyone in the city seemed to step outside at once.""",
    ),
    (
        45,
        "Drafts I will never finish, and why that is fine",
        ["writing"],
        None,
        """I have forty-one unfinished drafts. For a long time they felt like debts. Now they feel
more like a compost heap: nothing in there is wasted, it is just not ready to be used.

Every few months I read through them. A sentence from one becomes the opening of something
else; an argument from another turns out to be wrong, which is itself useful to know.

If you write, keep your abandoned drafts. Just don't keep them on your conscience.""",
    ),
    (
        21,
        "A reading list for the long evenings",
        ["reading"],
        None,
        """The clocks have gone back and the evenings are long. Here is what is on the pile
beside my chair:

* a history of the postal service, which is more gripping than it has any right to be;
* a book of short stories set in one street over one year;
* a field guide to mosses, for the walks when it is too wet to look up.

What are you reading? Tell me in the comments.""",
    ),
    (
        4,
        "Starting over with a new blog",
        ["writing", "web"],
        ((70, 50, 110), (225, 210, 240)),
        """This blog has moved house. The old posts came with it, and the old addresses still work.

The new home is quieter: pages load before you notice them loading, comments are read by a
person before they appear, and there is a feed for every label if you only care about one
kind of post.

Thank you for following along. The next post is already in the notebook.""",
    ),
]

DEMO_PAGES = [
    (
        "About",
        """I write about writing, walking and the small habits that hold a working life together.
This blog has been going, in one form or another, since 2012.

Posts appear every week or two. If you would like them by feed, use the
[Atom feed](/feed/) or the [RSS feed](/feed/rss/).""",
        1,
    ),
    (
        "Contact",
        "The best way to reach me is a comment on any post: I read each one before it appears.",
        2,
    ),
]


def demo_cover(title, colours):
    """A painted landscape (sky, sun, ridges, water), so the demo looks like a blog with photos
    without shipping any. Seeded by the title: the same post always gets the same picture."""
    width, height = 1600, 900
    sky, land = colours
    rng = random.Random(title)
    image = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.68))
    glow = tuple(min(255, c + 90) for c in sky)
    for y in range(horizon):  # Sky: deep at the top, pale towards the horizon.
        draw.line([(0, y), (width, y)], fill=_mix(sky, glow, y / horizon))
    sun_x, sun_y = rng.randint(250, width - 250), int(horizon * rng.uniform(0.35, 0.7))
    for radius, alpha in ((140, 0.15), (95, 0.35), (60, 1.0)):
        colour = _mix(glow, (255, 244, 214), alpha)
        draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=colour)
    shadow = tuple(round(c * 0.35) for c in land)
    for layer in range(4):  # Ridges, hazy far away, nearer ones darker.
        depth = (layer + 1) / 4
        colour = _mix(_mix(glow, land, 0.5), shadow, depth * 0.9)
        base = horizon - int(170 * (1 - depth)) + 10 * layer
        level, points = base, [(0, height)]
        for x in range(0, width + 40, 40):
            level = max(base - 240, min(base + 20, level + rng.randint(-34, 30)))
            points.append((x, level))
        draw.polygon([*points, (width, height)], fill=colour)
    water_top = int(height * 0.82)
    for y in range(water_top, height):  # Water: the sky's colours, darker, in ripples.
        ripple = 0.55 + 0.1 * ((y // 6) % 2)
        draw.line([(0, y), (width, y)], fill=_mix(glow, shadow, ripple))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{slugify(title)[:50]}.jpg")


def _mix(a, b, amount):
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))


class Command(BaseCommand):
    help = "Fill an empty blog with a dozen demo posts, tags, covers and an About page."

    def add_arguments(self, parser):
        parser.add_argument(
            "--author", help="Username of the posts' author (default: the first superuser)."
        )

    def handle(self, *args, author=None, **options):
        if Post.objects.exists():
            self.stdout.write("The blog already has posts; demo content not loaded.")
            return
        User = get_user_model()
        users = (
            User.objects.filter(username=author)
            if author
            else User.objects.filter(is_superuser=True)
        )
        writer = users.order_by("pk").first()
        if writer is None:
            raise CommandError(
                f"No user named {author!r}." if author else "Run manage.py ensure_admin first."
            )
        now = timezone.now()
        with transaction.atomic():
            for number, (days_ago, title, tags, colours, body) in enumerate(DEMO_POSTS, 1):
                self.stdout.write(f"  [{number}/{len(DEMO_POSTS)}] {title}")
                post = Post(
                    title=title,
                    slug=slugify(title),
                    author=writer,
                    body=body,
                    status=Post.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(days=days_ago, hours=number),
                )
                if colours:
                    post.cover = demo_cover(title, colours)
                    post.cover_alt = (
                        f"A painted landscape of ridges and water at sunset, for “{title}”."
                    )
                post.save()
                post.tags.add(*tags)
            Post.objects.create(
                title="Next week: a walk along the old railway line",
                slug="a-walk-along-the-old-railway-line",
                author=writer,
                body="Scheduled for next week. Readers will not see this until then.",
                status=Post.Status.PUBLISHED,
                published_at=now + datetime.timedelta(days=7),
            )
            Post.objects.create(
                title="Half-finished thoughts on footnotes",
                slug="half-finished-thoughts-on-footnotes",
                author=writer,
                body="A draft. Only the author sees this, in the admin and in preview.",
            )
            for title, body, order in DEMO_PAGES:
                Page.objects.create(
                    title=title, slug=slugify(title), body=body, navigation_order=order
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(DEMO_POSTS)} published posts, one scheduled, one draft "
                f"and {len(DEMO_PAGES)} pages."
            )
        )
