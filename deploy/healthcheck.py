"""The container's HEALTHCHECK: exit 0 when gunicorn answers /healthz with 200, else 1.

Python's urllib rather than curl, which the slim image does not have. The port is gunicorn's,
read as config/gunicorn.py reads it (GUNICORN_BIND, else PORT).
"""

import os
import sys
import urllib.request


def health_url():
    bind = os.environ.get("GUNICORN_BIND", "")
    port = bind.rsplit(":", 1)[1] if ":" in bind else os.environ.get("PORT", "8000")
    return os.environ.get("QUIRE_HEALTHCHECK_URL", f"http://127.0.0.1:{port}/healthz")


def main():
    try:
        with urllib.request.urlopen(health_url(), timeout=9) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:  # HTTPError (503), refused, timed out
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
