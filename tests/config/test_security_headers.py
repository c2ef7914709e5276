import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(post_factory):
    return post_factory(title="</script><script>alert(1)</script>", tags=["Sea"])


def test_public_pages_allow_only_our_own_scripts_and_no_framing(client, post):
    for url in ("/", post.get_absolute_url(), "/archive/", "/search/?q=sea", "/no-such-page/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["object-src"] == "'none'", url
        assert directives["frame-ancestors"] == "'none'", url
        assert "https:" in directives["img-src"].split(), url  # photos linked by imported posts


def test_the_post_page_carries_no_inline_script_the_policy_would_have_to_allow(client, post):
    html = client.get(post.get_absolute_url()).content.decode()
    script_types = re.findall(r"<script([^>]*)>", html)
    # Only the JSON-LD data block, which browsers never execute.
    assert script_types == [' type="application/ld+json"']


def test_browsers_asking_for_favicon_ico_get_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302  # not 301: the hashed file name changes with releases
    assert response["Location"].endswith("img/favicon.svg")
