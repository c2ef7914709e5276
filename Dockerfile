# Quire in production: gunicorn (config/gunicorn.py) serving Django; static files collected at
# build. `docker compose up` runs it with PostgreSQL, Redis and nginx (compose.yaml, README).

# --- build: dependencies into a virtualenv, static files collected and compressed -------------
FROM python:3.11-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/venv/bin:$PATH

RUN python -m venv /venv
WORKDIR /app
COPY pyproject.toml README.md ./
# Only the dependencies (setuptools packages = []); the s3 extra for object storage.
RUN pip install '.[s3]'

COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-at-build-only deploy/entrypoint.sh collectstatic \
    && rm -rf build *.egg-info

# --- run: the virtualenv and the code, no compilers, not root --------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    GUNICORN_BIND=0.0.0.0:8000 \
    DJANGO_MEDIA_ROOT=/app/media \
    DJANGO_STATIC_ROOT=/app/staticfiles

RUN useradd --system --uid 1000 --user-group --home-dir /app --no-create-home quire
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
# Writable by the app: uploads (a volume), var/ (the admin password file, a file page cache),
# and the static volume the release step publishes to for the proxy.
RUN mkdir -p /app/media /app/var /srv/static \
    && chown quire:quire /app/media /app/var /srv/static

USER quire
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["serve"]
