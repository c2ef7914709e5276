"""The 404 and 500 pages a reader lands on when something is missing or broken."""

import pytest
from django.urls import path
from pytest_django.asserts import assertContains, assertTemplateUsed

pytestmark = pytest.mark.django_db


def test_404_page_is_designed(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "This page is not here", status_code=404)
    assertContains(response, '<a href="/archive/">archive</a>', status_code=404, html=True)
    assertContains(response, 'action="/search/"', status_code=404)


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", broken_view)]


@pytest.mark.urls(__name__)
def test_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)
