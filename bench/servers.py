"""The servers under test: gunicorn as `make serve` runs it, and nginx as the ceiling."""

import getpass
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# As `make bench` promises: two sync workers, whatever the machine.
BENCH_WORKERS = "2"
NGINX_CONF = """\
daemon off;
user {user};
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    keepalive_timeout 5;
    server {{
        listen 127.0.0.1:{port};
        location = /page {{
            alias {tmp}/page.body;
            types {{ }}
            default_type "{content_type}";
{extra_headers}
        }}
    }}
}}
"""


class Server:
    def __init__(self, name, command, env, port, log_path):
        self.name, self.port = name, port
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        _wait_for_port(port, self.process, log_path)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def worker_rss_kb(self):
        """Resident memory of each worker (the children of the master), from /proc."""
        return {pid: _vm_rss_kb(pid) for pid in _children(self.process.pid)}

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def gunicorn(*, env, port, log_path, app=None):
    environ = {**os.environ, **env, "PORT": str(port), "WEB_CONCURRENCY": BENCH_WORKERS}
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"]
    return Server("gunicorn", [*command, *([app] if app else [])], environ, port, log_path)


def nginx(*, tmp, port, body, headers):
    """nginx serving `body` with the page's own headers, from a config of its own in tmp."""
    (tmp / "page.body").write_bytes(body)
    content_type = dict(headers).get("Content-Type", "text/html")
    extra = "".join(
        f'            add_header {name} "{value}";\n'
        for name, value in headers
        if name == "Content-Encoding"
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user=getpass.getuser(),
            workers=BENCH_WORKERS,
            tmp=tmp,
            port=port,
            content_type=content_type,
            extra_headers=extra,
        )
    )
    command = ["nginx", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
    return Server("nginx", command, dict(os.environ), port, tmp / "nginx.log")


def _wait_for_port(port, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} exited; see {log_path}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"nothing answered on port {port} within {timeout}s; see {log_path}")


def _children(pid):
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return sorted(children)


def _vm_rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
