"""deploy/nginx/quire.conf, the proxy compose runs and docs/deploy.md installs, run here by the
installed nginx with its paths, ports and upstream moved into a tmp dir."""

import dataclasses
import http.server
import json
import shutil
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_ports

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
)

pytestmark = [
    pytest.mark.skipif(
        NGINX is None, reason="nginx is not installed: apt-get install nginx to check the proxy"
    ),
    pytest.mark.skipif(
        shutil.which("openssl") is None, reason="openssl is needed to make a test certificate"
    ),
]


@dataclasses.dataclass
class Site:
    root: Path
    http_port: int = 0
    https_port: int = 0
    upstream_port: int = 0

    def __truediv__(self, name):
        return self.root / name


@pytest.fixture
def site(tmp_path):
    """The shipped config, with only what differs between a container and this tmp dir swapped.

    Its ports are chosen when a test starts (configure_ports), not when the module is read:
    picked minutes before, a port may be another test's server by then."""
    certs = tmp_path / "certs"
    for folder in ("certs", "static/css", "media/images", "logs"):
        (tmp_path / folder).mkdir(parents=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=blog.example.com", "-keyout", certs / "privkey.pem", "-out", certs / "fullchain.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    site = Site(tmp_path)
    configure_ports(site, *free_ports(3))
    mime_types = Path("/etc/nginx/mime.types")
    (tmp_path / "nginx.conf").write_text(
        # root: the tmp dir is private to this user, and the workers must read it.
        f"user root;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\n"
        "events {}\nhttp {\n"
        + (f"    include {mime_types};\n" if mime_types.exists() else "")
        + "".join(
            f"    {kind}_temp_path {tmp_path}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {tmp_path}/quire.conf;\n}}\n"
    )
    return site


def configure_ports(site, http_port, https_port, upstream_port):
    root = site.root
    config = (ROOT / "deploy/nginx/quire.conf").read_text()
    for shipped, here in {
        "server app:8000;": f"server 127.0.0.1:{upstream_port};",
        "/etc/nginx/certs/": f"{root}/certs/",
        "/srv/quire/static/": f"{root}/static/",
        "/srv/quire/media/": f"{root}/media/",
        "/var/log/nginx/": f"{root}/logs/",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
    }.items():
        assert shipped in config, f"the shipped config no longer has {shipped!r}"
        config = config.replace(shipped, here)
    (root / "quire.conf").write_text(config)
    site.http_port, site.https_port, site.upstream_port = http_port, https_port, upstream_port


def nginx_command(site, *options):
    return [NGINX, "-p", str(site.root), "-c", str(site / "nginx.conf"), *options]


def test_nginx_accepts_the_shipped_config(site):
    result = subprocess.run(nginx_command(site, "-t"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


class EchoApp(http.server.BaseHTTPRequestHandler):
    """Stands for gunicorn: answers with the headers the proxy sent it."""

    def do_GET(self):
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-ID", self.headers.get("X-Request-ID", ""))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(site):
    """nginx in front of an echoing upstream. Ports are free when chosen, but another run on
    the machine may take one before we bind it: then we choose again, a few times."""
    for _attempt in range(5):
        configure_ports(site, *free_ports(3))
        try:
            upstream = http.server.ThreadingHTTPServer(("127.0.0.1", site.upstream_port), EchoApp)
        except OSError:
            continue
        nginx = start_nginx(site)
        if nginx is not None:
            break
        upstream.server_close()
    else:
        pytest.fail("no free ports for nginx and its upstream after 5 tries")
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    yield site
    nginx.terminate()
    nginx.wait(timeout=10)
    upstream.shutdown()
    upstream.server_close()


def start_nginx(site):
    """nginx, answering; None if one of its ports was taken meanwhile."""
    nginx = subprocess.Popen(nginx_command(site, "-g", "daemon off;"), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            url = f"http://127.0.0.1:{site.http_port}/nginx-health"
            urllib.request.urlopen(url, timeout=1)
            return nginx
        except OSError:
            if nginx.poll() is not None:
                error = nginx.stderr.read().decode()
                assert "Address already in use" in error, error
                return None
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(site, path, *, https=True, host="blog.example.com"):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test's own cert
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    url = (
        f"https://127.0.0.1:{site.https_port}{path}"
        if https
        else f"http://127.0.0.1:{site.http_port}{path}"
    )
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        return opener.open(request, timeout=5)
    except urllib.error.HTTPError as error:
        return error


def test_plain_http_is_sent_to_https(proxy):
    response = fetch(proxy, "/2024/10/a-post/?page=2", https=False)
    assert response.status == 301
    assert response.headers["Location"] == "https://blog.example.com/2024/10/a-post/?page=2"


def test_pages_go_to_the_app_with_what_django_needs_and_one_request_id(proxy):
    response = fetch(proxy, "/2024/10/a-post/")
    seen = json.loads(response.read())
    assert response.status == 200
    assert seen["X-Forwarded-Proto"] == "https"
    assert seen["Host"] == seen["X-Forwarded-Host"] == "blog.example.com"
    assert seen["X-Forwarded-For"] == "127.0.0.1"
    assert len(seen["X-Request-ID"]) == 32
    assert response.headers.get_all("X-Request-ID") == [seen["X-Request-ID"]]
    line = f"request_id={seen['X-Request-ID']}"
    assert line in logged(proxy / "logs" / "access.log", line)


def test_a_site_on_another_https_port_keeps_it_in_the_host_django_sees(proxy):
    """QUIRE_HTTPS_PORT=8443: Django's links and its CSRF origin check need the port."""
    seen = json.loads(fetch(proxy, "/", host="blog.example.com:8443").read())
    assert seen["Host"] == seen["X-Forwarded-Host"] == "blog.example.com:8443"


def logged(path, wanted, seconds=5.0):
    """nginx writes its access log after the response has gone: wait a moment for the line."""
    deadline = time.monotonic() + seconds
    while True:
        text = path.read_text() if path.exists() else ""
        if wanted in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_static_and_media_files_come_from_disk(proxy):
    (proxy / "static/css/site.0123abcd.css").write_text("body { color: black }")
    (proxy / "media/images/field.png").write_bytes(b"\x89PNG fake")
    static = fetch(proxy, "/static/css/site.0123abcd.css")
    assert static.read() == b"body { color: black }"
    assert "immutable" in static.headers["Cache-Control"]
    media = fetch(proxy, "/media/images/field.png")
    assert media.read() == b"\x89PNG fake"
    assert media.headers["Content-Type"] == "image/png"
    assert "sandbox" in media.headers["Content-Security-Policy"]
    assert fetch(proxy, "/media/images/missing.png").status == 404
