"""What `docker compose up` and docs/deploy.md rely on, checked without a Docker engine."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# Where the code reads its environment (bench/ and tests/ are tools, not the app).
READERS = ["config/*.py", "blog/**/*.py", "comments/**/*.py", "caching/*.py", "deploy/*.py"]
ENV_READ = re.compile(
    r"""(?:os\.environ\.get\(|os\.getenv\(|env_bool\(|env_list\(|os\.environ\[)\s*["']([A-Z]\w+)"""
)


def settings_read_by_the_code():
    names = {"DATABASE_URL"}  # read by dj_database_url.config()
    for pattern in READERS:
        for path in ROOT.glob(pattern):
            names |= set(ENV_READ.findall(path.read_text()))
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "deploy/entrypoint.sh").read_text()))
    return names - {"DJANGO_SETTINGS_MODULE"}


def test_the_example_environment_lists_every_setting_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    listed = {}
    for number, line in enumerate(lines):
        match = re.fullmatch(r"#? ?([A-Z][A-Z0-9_]*)=.*", line)
        if match:
            listed[match[1]] = number
    missing = settings_read_by_the_code() - set(listed)
    assert not missing, f"add to .env.example, each with a comment: {sorted(missing)}"
    for name, number in listed.items():
        above = lines[number - 1]
        assert above.startswith("#"), f"{name} has no comment above it"


def test_the_example_environment_is_usable_as_it_is_for_the_required_settings():
    values = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert {
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "QUIRE_DOMAIN",
        "POSTGRES_PASSWORD",
    } <= set(values)
    assert "DJANGO_DEBUG" not in values


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_the_services_the_readme_names(compose):
    assert set(compose["services"]) == {"db", "redis", "migrate", "app", "certs", "proxy"}
    assert set(compose["volumes"]) == {"pgdata", "media", "static", "certs"}
    readme = (ROOT / "README.md").read_text()
    for service in compose["services"]:
        assert f"`{service}`" in readme, f"README's Deploy section explains the {service} service"


def test_every_long_running_service_has_a_healthcheck_and_waits_for_what_it_needs(compose):
    services = compose["services"]
    for name in ("db", "redis", "app", "proxy"):
        assert services[name]["healthcheck"]["test"], name
    assert services["app"]["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["proxy"]["depends_on"]["app"]["condition"] == "service_healthy"


def test_the_app_runs_gunicorn_behind_the_proxy_with_shared_state(compose):
    app = compose["services"]["app"]
    assert app["command"] == ["serve"]
    assert "ports" not in app, "only the proxy is reachable from outside"
    environment = app["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://quire:")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["DJANGO_BEHIND_PROXY"] == "1"
    assert "media:/app/media" in app["volumes"]
    proxy = compose["services"]["proxy"]
    assert {"static:/srv/quire/static:ro", "media:/srv/quire/media:ro"} <= set(proxy["volumes"])
    assert compose["services"]["migrate"]["environment"]["QUIRE_PUBLISH_STATIC"] == "/srv/static"


def test_the_image_is_multi_stage_runs_as_a_user_and_checks_its_health():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) == 2
    assert re.search(r"^USER quire$", dockerfile, re.M)
    assert "collectstatic" in dockerfile
    assert 'CMD ["python", "deploy/healthcheck.py"]' in dockerfile
    assert ".env" in (ROOT / ".dockerignore").read_text().split(), "secrets stay out of the image"
