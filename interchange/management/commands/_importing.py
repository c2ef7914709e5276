"""What import_blogger and import_wordpress share: options, the progress bar, the ledger."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interchange.images import ImageFetcher
from interchange.importer import import_export
from interchange.readers import ExportError


class ImportCommand(BaseCommand):
    platform = ""

    def add_arguments(self, parser):
        parser.add_argument("export", help="The export file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the ledger and write nothing."
        )
        parser.add_argument(
            "--author", help="Username to write every post as (default: one per old author)."
        )
        parser.add_argument(
            "--download-images",
            action="store_true",
            help="Fetch the images posts use from the old host into our media storage.",
        )
        parser.add_argument(
            "--image-host",
            action="append",
            default=[],
            help="Another host to fetch images from (repeatable).",
        )
        parser.add_argument(
            "--replace-edited",
            action="store_true",
            help="Take the old blog's version even of posts and pages edited here since the "
            "last import (by default they are kept as they are here, and the ledger says so).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(
        self, *args, export, dry_run, author, download_images, image_host, replace_edited, **options
    ):
        user = None
        if author:
            user = get_user_model().objects.filter(username=author).first()
            if user is None:
                raise CommandError(f"There is no user named {author!r}.")
        images = None
        if download_images and not dry_run:
            hosts = [*settings.QUIRE_IMPORT_IMAGE_HOSTS, *image_host]
            images = ImageFetcher(hosts=hosts)
        show = not options["no_progress"] and options.get("verbosity", 1) > 0

        def progress(total):
            return tqdm(total=total, unit="entry", file=self.stderr._out, disable=not show)

        try:
            ledger = import_export(
                path=export,
                platform=self.platform,
                author=user,
                dry_run=dry_run,
                images=images,
                progress=progress,
                replace_edited=replace_edited,
            )
        except FileNotFoundError:
            raise CommandError(f"There is no file at {export}.") from None
        except IsADirectoryError:
            raise CommandError(
                f"{export} is a folder: name the export file in it (feed.atom for Blogger's "
                "Takeout, the .xml file for WordPress)."
            ) from None
        except PermissionError:
            raise CommandError(f"{export} cannot be read: you have no permission to.") from None
        except ExportError as error:
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            # Each entry goes in whole, in its own transaction: nothing is half-written.
            raise CommandError(
                "Stopped before the end. What went in so far stays, each entry whole; run the "
                "same import again to finish it: what is in already is matched, not copied."
            ) from None
        self.stdout.write(ledger.summary())
