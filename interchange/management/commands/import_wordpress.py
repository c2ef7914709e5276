from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import a WordPress export (WXR 1.0 to 1.2, from Tools → Export)."
    platform = "wordpress"
