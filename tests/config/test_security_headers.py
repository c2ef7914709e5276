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
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    # Our own file, which script-src 'self' allows, and the JSON-LD data block browsers never run.
    inline = [attributes for attributes, body in scripts if body.strip()]
    assert inline == [' type="application/ld+json"']
    files = [attributes for attributes, body in scripts if not body.strip()]
    assert len(files) == 1
    assert re.fullmatch(r' src="/static/js/comment-form[^"]*\.js" defer', files[0])


def test_browsers_asking_for_favicon_ico_get_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302  # not 301: the hashed file name changes with releases
    assert response["Location"].endswith("img/favicon.svg")


def test_every_page_says_what_a_blog_never_asks_the_browser_for(client, post):
    for url in ("/", post.get_absolute_url(), "/feed/", "/admin/login/", "/no-such-page/"):
        response = client.get(url)
        policy = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert policy[feature] == "()", (url, feature)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
