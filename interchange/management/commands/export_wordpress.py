from django.conf import settings
from django.core.management.base import BaseCommand

from interchange.writer import write_wxr


class Command(BaseCommand):
    help = "Write the whole blog as a WordPress export (WXR 1.2): posts, pages, labels, comments."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument(
            "--base-url",
            default=f"https://{settings.QUIRE_DOMAIN}",
            help="The blog's public address, for links in the file.",
        )

    def handle(self, *args, output, base_url, **options):
        if output:
            with open(output, "w", encoding="utf-8") as out:
                counts = write_wxr(out=out, base_url=base_url)
            summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
            self.stderr.write(f"Wrote {output}: {summary}.")
        else:
            write_wxr(out=self.stdout._out, base_url=base_url)  # The raw stream: no added newlines.
