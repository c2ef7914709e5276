# Quire: `make run` serves the demo site, `make serve` serves it as production does,
# `make test` runs the whole suite, `make bench` measures the public pages under load.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=1
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: run serve bench test lint format clean
PORT ?= 8000
SIZE ?= small
BENCH_DURATION ?= 5s
DURATION ?= $(BENCH_DURATION)
BENCH_RESULTS ?= bench/results
# Production settings on plain local http: no HTTPS redirect, the local host and port.
# Set DJANGO_SECRET_KEY, DATABASE_URL, REDIS_URL, ... in the environment to override any of them.
SERVE_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}" \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	QUIRE_DOMAIN="$${QUIRE_DOMAIN:-127.0.0.1:$(PORT)}" PORT=$(PORT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip
	$(BIN)/python -m pip install $(PIP_QUIET) -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py ensure_admin
	$(DEV_ENV) $(BIN)/python manage.py load_demo_content
	$(DEV_ENV) $(BIN)/python manage.py load_demo_comments
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# A key of this machine's own, made once, readable only by its owner.
var/secret-key:
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: $(VENV)/.installed $(if $(DJANGO_SECRET_KEY),,var/secret-key)
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py ensure_admin
	$(SERVE_ENV) $(BIN)/python manage.py load_demo_content
	$(SERVE_ENV) $(BIN)/python manage.py load_demo_comments
	$(SERVE_ENV) exec $(BIN)/gunicorn -c config/gunicorn.py

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py --size $(SIZE) --duration $(DURATION) --results $(BENCH_RESULTS)

test: $(VENV)/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
