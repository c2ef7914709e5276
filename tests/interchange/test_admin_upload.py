from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from blog.models import Post

from .conftest import wxr, wxr_item

URL = "/admin/interchange/importeditem/import/"


def upload(client, text, **extra):
    export = SimpleUploadedFile("export.xml", text.encode(), content_type="text/xml")
    return client.post(URL, {"export": export, **extra})


def test_an_author_imports_from_the_admin_and_reads_the_ledger(client, author):
    client.force_login(author)
    response = upload(client, wxr(wxr_item(1), wxr_item(2)))
    assert response.status_code == 200
    assert "All 3 entries of the file are accounted for." in response.text
    assert Post.objects.count() == 2


def test_a_dry_run_from_the_admin_writes_nothing(client, author):
    client.force_login(author)
    response = upload(client, wxr(wxr_item(1)), dry_run="on")
    assert "Dry run: nothing was written." in response.text
    assert not Post.objects.exists()


def test_a_file_that_is_not_an_export_gets_its_sentence(client, author):
    client.force_login(author)
    response = upload(client, "<html><body>hi</body></html>")
    assert "This is a web page (HTML), not an export file." in response.text


def test_uploads_have_a_size_limit(client, author, settings):
    settings.QUIRE_MAX_IMPORT_BYTES = 100
    client.force_login(author)
    response = upload(client, wxr(wxr_item(1)))
    assert "the largest export Quire takes here is 100" in response.text
    assert not Post.objects.exists()


def test_only_staff_who_may_add_posts_can_import(client, user_factory):
    staff = user_factory(username="helper", is_staff=True)
    client.force_login(staff)
    assert upload(client, wxr(wxr_item(1))).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="add_post"))
    assert upload(client, wxr(wxr_item(1))).status_code == 200
    assert Client().get(URL).status_code == 302  # Anonymous: to the login page


def test_the_upload_is_csrf_protected(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert upload(client, wxr(wxr_item(1))).status_code == 403
    assert not Post.objects.exists()


def test_the_import_page_is_linked_from_the_admin(client, author):
    client.force_login(author)
    response = client.get("/admin/interchange/importeditem/")
    assert f'href="{URL}"' in response.text and "Import a blog" in response.text
