from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import a Blogger export: the classic 'Back up content' file or Takeout's feed.atom."
    platform = "blogger"
