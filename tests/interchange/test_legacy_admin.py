"""Old addresses typed in the admin: stored as requests arrive, and leading somewhere real."""

import pytest
from pytest_django.asserts import assertContains

from interchange.models import LegacyAddress
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/interchange/legacyaddress/add/"


@pytest.fixture
def staff(client, author):
    client.force_login(author)
    return client


def form(**fields):
    return {"path": "", "post": "", "page": "", "tag": "", "url_name": "", **fields}


@pytest.mark.parametrize("typed", ["/2011/05/café.html", "/2011/05/with space.html", "/?p=5151"])
def test_an_address_typed_as_a_reader_sees_it_redirects(staff, client, typed):
    post = PostFactory(title="Moved here")
    assert staff.post(ADD, form(path=typed, post=post.pk)).status_code == 302
    stored = LegacyAddress.objects.get()
    assert stored.path == LegacyAddress.normalise(*typed.partition("?")[::2])
    client.logout()
    path, _, query = typed.partition("?")
    response = client.get(LegacyAddress.normalise(path), query and dict([query.split("=")]))
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"path": "http://old.example/x"}, "starting with “/”"),
        ({"path": "/nowhere"}, "Choose where this address leads"),
        ({"path": "/feed", "url_name": "no-such-feed"}, "No address of this blog is named"),
    ],
)
def test_an_address_that_leads_nowhere_is_refused_with_a_reason(staff, fields, message):
    response = staff.post(ADD, form(**fields))
    assertContains(response, message)
    assert not LegacyAddress.objects.exists()


def test_an_old_address_of_a_post_not_yet_public_is_a_plain_404_never_a_redirect(client):
    """A 301 is kept by browsers for good: sent to "/2031/01/scheduled.html/" (a 404 then and
    later), a reader would never reach the post once it is out."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    at = timezone.now() + dt.timedelta(days=30)
    post = PostFactory(title="Not yet", published_at=at)
    LegacyAddress.objects.create(path="/2031/01/scheduled.html", post=post)
    for old in ("/2031/01/scheduled.html", "/p/about.html", "/tag/old.label"):
        assert client.get(old).status_code == 404, old
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        response = client.get("/2031/01/scheduled.html")
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())


def test_slugs_of_any_script_still_have_their_pages(client):
    from tests.factories import PageFactory

    post = PostFactory(title="日本語の投稿", slug="日本語の投稿", tags=["Café crème"])
    page = PageFactory(title="Über uns", slug="über-uns")
    for path in (post.get_absolute_url(), page.get_absolute_url(), "/tag/café-crème/"):
        assert client.get(path).status_code == 200, path
    assert client.get(post.get_absolute_url().rstrip("/")).status_code == 301  # Slash added.
