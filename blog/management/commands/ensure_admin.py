import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

PASSWORD_FILE = settings.BASE_DIR / "var" / "admin-password.txt"
# The group comments/moderation.py emails about waiting comments (made by a migration).
MODERATORS_GROUP = "Moderators"


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists and hears about waiting comments. A new one gets a "
        "random password, printed once and kept in var/admin-password.txt (readable only by you)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--email", default=os.environ.get("QUIRE_ADMIN_EMAIL", "admin@localhost")
        )

    def handle(self, *args, username, email, **options):
        admin_url = f"{site_url()}/admin/"
        existing = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(
                f"Admin account exists. Log in at {admin_url} as '{existing.get_username()}' "
                f"(password in {PASSWORD_FILE} if this command made it; or set a new one with: "
                f"{manage_py()} changepassword {existing.get_username()})"
            )
            self._make_moderator_if_nobody_is(existing)
            return
        password = secrets.token_urlsafe(12)
        kept = self._keep_password(username, password)
        with transaction.atomic():
            user = get_user_model().objects.create_superuser(
                username=username,
                email=email,
                password=password,
                first_name="Quire",
                last_name="Author",
            )
            self._make_moderator_if_nobody_is(user)
        where = f"kept in {PASSWORD_FILE}" if kept else "not saved anywhere: note it now"
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the admin account.\n  Log in at {admin_url} as "
                f"'{username}' with password: {password}\n  ({where})"
            )
        )

    def _keep_password(self, username, password):
        """Written before the account exists, so a failure here can still show the password."""
        try:
            PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
            # Created unreadable to others from the first byte, not chmod-ed afterwards.
            descriptor = os.open(PASSWORD_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as password_file:
                password_file.write(f"username: {username}\npassword: {password}\n")
            PASSWORD_FILE.chmod(0o600)
        except OSError as error:
            self.stderr.write(f"Could not keep the password in {PASSWORD_FILE}: {error}")
            return False
        return True

    def _make_moderator_if_nobody_is(self, user):
        """Someone must hear about waiting comments: the admin, until there are moderators."""
        group = Group.objects.filter(name=MODERATORS_GROUP).first()
        if group is None or group.user_set.filter(is_active=True).exclude(email="").exists():
            return
        group.user_set.add(user)
        self.stdout.write(
            f"'{user.get_username()}' is in the {MODERATORS_GROUP} group and is emailed at "
            f"{user.email or '(no address: set one in the admin)'} when a comment waits. "
            "To add a moderator, see the README's 'Moderators' section."
        )


def site_url():
    """Where `make run` or `make serve` listens: the messages follow PORT."""
    return os.environ.get("QUIRE_SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"


def manage_py():
    """The command as a newcomer can paste it: the venv's Python, in debug when we run so."""
    return f"{'DJANGO_DEBUG=1 ' if settings.DEBUG else ''}.venv/bin/python manage.py"
