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
