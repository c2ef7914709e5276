import stat

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from blog.management.commands import ensure_admin
from blog.models import Page, Post


def login_request():
    """django-axes counts attempts per request, so authenticate() is given one."""
    return RequestFactory().post("/admin/login/")


@pytest.fixture
def password_file(tmp_path, monkeypatch):
    path = tmp_path / "var" / "admin-password.txt"
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", path)
    return path


@pytest.mark.django_db
def test_ensure_admin_makes_an_account_with_a_random_password_only_its_owner_can_read(
    password_file, capsys
):
    call_command("ensure_admin")

    password = password_file.read_text().split("password: ")[1].strip()
    assert len(password) >= 16
    assert password in capsys.readouterr().out
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    user = authenticate(login_request(), username="admin", password=password)
    assert user is not None and user.is_superuser and user.is_staff


@pytest.mark.django_db
def test_ensure_admin_leaves_an_existing_admin_and_its_password_alone(password_file, capsys):
    get_user_model().objects.create_superuser("owner", "owner@example.com", "their own secret")

    call_command("ensure_admin")

    assert not password_file.exists()
    assert get_user_model().objects.count() == 1
    assert authenticate(login_request(), username="owner", password="their own secret") is not None
    assert "changepassword" in capsys.readouterr().out


@pytest.mark.django_db
def test_two_fresh_installs_never_share_a_password(tmp_path, monkeypatch):
    passwords = set()
    for attempt in range(2):
        path = tmp_path / str(attempt) / "admin-password.txt"
        monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", path)
        get_user_model().objects.all().delete()
        call_command("ensure_admin")
        passwords.add(path.read_text())
    assert len(passwords) == 2


@pytest.mark.django_db
def test_demo_content_fills_an_empty_blog_once(author, client):
    call_command("load_demo_content")

    published = Post.objects.published()
    assert published.count() == 12
    assert Post.objects.filter(status=Post.Status.DRAFT).count() == 1
    assert Post.objects.filter(status=Post.Status.PUBLISHED).count() == 13  # one scheduled
    assert Page.objects.filter(slug="about").exists()
    assert published.exclude(cover="").exists()
    home = client.get("/")
    assertContains(home, "Starting over with a new blog")
    assertNotContains(home, "Half-finished thoughts on footnotes")
    assertNotContains(home, "a walk along the old railway line")
    assertContains(home, 'href="/p/about/"')

    call_command("load_demo_content")
    assert Post.objects.count() == 14


@pytest.mark.django_db
def test_demo_content_needs_an_author():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ensure_admin"):
        call_command("load_demo_content")


@pytest.mark.django_db
def test_the_password_is_shown_even_when_it_cannot_be_kept(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", blocked / "admin-password.txt")

    call_command("ensure_admin")

    captured = capsys.readouterr()
    password = captured.out.split("with password: ")[1].split()[0]
    assert "Could not keep the password" in captured.err
    assert authenticate(login_request(), username="admin", password=password) is not None


@pytest.mark.django_db
def test_the_new_admin_hears_about_waiting_comments(password_file):
    from comments.moderation import moderator_emails

    call_command("ensure_admin", email="author@example.com")

    assert moderator_emails() == ["author@example.com"]


@pytest.mark.django_db
def test_the_hint_names_the_existing_admin_and_the_port(password_file, capsys, monkeypatch):
    monkeypatch.setenv("PORT", "8080")
    get_user_model().objects.create_superuser("owner", "owner@example.com", "their own secret")

    call_command("ensure_admin")

    out = capsys.readouterr().out
    assert "http://127.0.0.1:8080/admin/" in out
    assert "manage.py changepassword owner" in out
