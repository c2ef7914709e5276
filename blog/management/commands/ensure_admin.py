import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = settings.BASE_DIR / "var" / "admin-password.txt"


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists. A new one gets a random password, printed once "
        "and kept in var/admin-password.txt (readable only by you)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.com")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                f"Admin account exists. Log in at http://127.0.0.1:8000/admin/ "
                f"(password in {PASSWORD_FILE} if this command "
                f"made it, or reset it with: manage.py changepassword {username})"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username,
            email=email,
            password=password,
            first_name="Quire",
            last_name="Author",
        )
        PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
        # Created unreadable to others from the first byte, not chmod-ed afterwards.
        descriptor = os.open(PASSWORD_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as password_file:
            password_file.write(f"username: {username}\npassword: {password}\n")
        PASSWORD_FILE.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the admin account.\n  Log in at http://127.0.0.1:8000/admin/ as "
                f"'{username}' with password: {password}\n  (kept in "
                f"{PASSWORD_FILE})"
            )
        )
