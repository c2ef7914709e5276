# Quire in production: gunicorn serving Django, WhiteNoise serving static files.
# Build:   docker build -t quire .
# Migrate: docker run --rm --env-file quire.env quire python manage.py migrate
# Serve:   docker run -p 8000:8000 --env-file quire.env -v quire-media:/app/media quire
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 1000 quire

COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R quire:quire /app/media

USER quire
EXPOSE 8000
# Django reads the proxy's headers itself (DJANGO_BEHIND_PROXY); expose 8000 to the proxy only.
# config/gunicorn.py reads the rest (workers, timeouts, access log) from the environment.
ENV HOST=0.0.0.0 PORT=8000
CMD ["gunicorn", "-c", "config/gunicorn.py"]
