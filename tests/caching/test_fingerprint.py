"""A deploy or a changed setting never serves pages made by the previous one.

Settings are read when a process starts: the tests restart the cache's view of them by
forgetting the fingerprint, as a new process would.
"""

import shutil

import pytest
from csp.constants import NONE, SELF

from caching import pages
from tests.factories import PostFactory


def restart():
    pages._FINGERPRINT = None


@pytest.fixture
def post(db):
    return PostFactory(title="A long walk", allow_comments=False)


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("QUIRE_SITE_NAME", "Heron Notes", "Heron Notes"),
        ("QUIRE_SITE_DESCRIPTION", "Birds, mostly.", "Birds, mostly."),
    ],
)
def test_a_changed_setting_shows_on_cached_pages_after_the_restart(
    wsgi, post, settings, name, value, shown
):
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    assert shown not in wsgi.get("/").text
    setattr(settings, name, value)
    restart()
    assert shown in wsgi.get("/").text


def test_a_changed_security_policy_shows_on_cached_pages_after_the_restart(wsgi, post, settings):
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "img-src": [NONE]}}
    restart()
    assert "img-src 'none'" in wsgi.get("/").headers["Content-Security-Policy"]


def test_a_deploy_of_new_code_gets_a_new_fingerprint(settings, tmp_path):
    """Views and settings are code: a release that changes them must not serve old pages."""
    for folder in ("templates", "blog", "config"):
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder)
    settings.BASE_DIR = tmp_path
    before = pages._fingerprint()
    assert pages._fingerprint() == before
    with open(tmp_path / "blog" / "views.py", "a") as views:
        views.write("\n# changed\n")
    assert pages._fingerprint() != before


def test_the_fingerprint_does_not_depend_on_where_the_release_is_checked_out(settings, tmp_path):
    """Servers deployed to different folders share one Redis, and so their pages."""
    here = pages._fingerprint()
    apps = [path.parent.name for path in settings.BASE_DIR.glob("*/apps.py")]
    for folder in ("templates", "config", *apps):
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder)
    settings.BASE_DIR = tmp_path
    assert pages._fingerprint() == here
