# Quire: `make run` serves the demo site, `make serve` serves it as production does,
# `make test` runs the whole suite, `make bench` measures the public pages under load,
# `make reset` starts over with no blog at all.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=1
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: run serve bench test lint format clean reset
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
	QUIRE_DOMAIN="$${QUIRE_DOMAIN:-127.0.0.1:$(PORT)}" PORT=$(PORT) \
	QUIRE_SERVE_MEDIA="$${QUIRE_SERVE_MEDIA:-1}"
RUN_ENV = $(DEV_ENV) PORT=$(PORT) QUIRE_DOMAIN="$${QUIRE_DOMAIN:-127.0.0.1:$(PORT)}"

# Stock Debian and Ubuntu ship Python without venv: say what to install instead of a traceback.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Quire needs Python 3.11 or newer as '$(PYTHON)' (make ... PYTHON=python3.12 picks another)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module is missing. On Debian or Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The site alone (make run, make serve); the test tools (Playwright, ruff, ...) only for make test.
$(VENV)/.installed-site: pyproject.toml | $(BIN)/python
	@echo "--- installing Quire into $(VENV) (a minute or two the first time)"
	$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e .
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.installed-site
	@echo "--- installing the test tools into $(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e '.[dev]'
	touch $@

run: $(VENV)/.installed-site
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py ensure_admin
	$(RUN_ENV) $(BIN)/python manage.py load_demo_content
	$(RUN_ENV) $(BIN)/python manage.py load_demo_comments
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# A key of this machine's own, made once, readable only by its owner.
var/secret-key:
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: $(VENV)/.installed-site $(if $(DJANGO_SECRET_KEY),,var/secret-key)
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py generateimages blog
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

# Start over: the demo blog, its uploads, the admin's password and the page cache go too.
reset: clean
	rm -rf db.sqlite3 db.sqlite3-journal db.sqlite3.page-generation db.sqlite3.schedule media staticfiles var
	@echo "--- removed the database, media, static files and var/: make run starts a new blog"
