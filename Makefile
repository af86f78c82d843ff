# Two commands do all the set-up: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEBIAN_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation poppler-utils wrk
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings read HOST and PORT too: SITE_URL (the address in e-mails and links) defaults to
# http://HOST:PORT. Serving a room (HOST=0.0.0.0)? Give the address people type: SITE_URL=http://192.168.1.20:8000
export HOST PORT
# `make bench` options, e.g. BENCH_ARGS="--scale 0.02 --rounds 1" for a quick run (see README, Benchmark).
BENCH_ARGS ?=
# Two workers: the machines have two cores. Override, e.g. PYTEST_ARGS="tests/core -k audit".
PYTEST_ARGS ?= -n 2 --durations=30

.PHONY: run test install assets system-deps migrate demo lint typecheck format bench clean worker relay security

# --- set-up ----------------------------------------------------------------------------------
$(VENV)/bin/activate:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "Python's venv module is missing: install python3-venv" >&2; exit 1; fi; }

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/.built: node_modules/.installed static/src/app.scss static/src/app.js scripts/build-assets.mjs
	npm run --silent build
	@touch $@

assets: static/build/.built

# Debian packages the suite needs (Chromium for browser tests, Pango for WeasyPrint), installed
# when missing and we are root; otherwise we say what is missing.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages:$$missing (install them as root)" >&2; exit 1; fi; \
	fi

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo

# --- the two commands ------------------------------------------------------------------------
# Embedded default: SQLite, no Redis. A Celery worker on kombu's filesystem transport runs beside
# the web server, so slow work never runs inside a request, and the outbox relay beside both sends
# any task the web server could not hand to the broker at once (README: Background work and failures).
run: install assets demo
	$(PY) manage.py collectstatic --no-input -v 0
	@echo "Starting the worker, the outbox relay and the web server on http://$(HOST):$(PORT)/ (links and e-mails: $${SITE_URL:-http://$(HOST):$(PORT)}; Ctrl-C stops all three)"
	@$(PY) manage.py print_demo_logins
	@set -m; $(VENV)/bin/celery -A commissioning worker --pool=solo --loglevel=WARNING & worker=$$!; \
	$(PY) manage.py relay_outbox & relay=$$!; \
	trap 'kill $$worker $$relay 2>/dev/null' EXIT INT TERM; \
	COMMISSIONING_REQUIRE_MFA=$${COMMISSIONING_REQUIRE_MFA:-false} $(PY) manage.py runserver $(HOST):$(PORT)

# A worker and the outbox relay, for a web server started some other way (Ctrl-C stops both).
worker: install
	@set -m; $(PY) manage.py relay_outbox & relay=$$!; \
	trap 'kill $$relay 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/celery -A commissioning worker --pool=solo --loglevel=INFO

# The outbox relay alone (production runs it as its own process, like the worker).
relay: install
	$(PY) manage.py relay_outbox

# Uses PostgreSQL and Redis when they answer (DATABASE_URL / REDIS_URL, or the standard local
# ports), SQLite and the filesystem broker otherwise. With CI=true both are required.
test: install assets system-deps typecheck
	DJANGO_SETTINGS_MODULE=commissioning.settings.test $(PY) manage.py collectstatic --no-input -v 0
	DJANGO_SETTINGS_MODULE=commissioning.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

# The platform at scale on this machine (PostgreSQL and Redis required): seeds bench_* databases,
# serves them with gunicorn and measures with wrk. Reports PASS/FAIL per goal; never fails the build
# and never runs in `make test`.
bench: install assets system-deps
	$(PY) -m bench $(BENCH_ARGS)

# The static security scan (bandit: no finding of high severity may stand) and the audit of the
# pinned dependencies against known vulnerabilities (pip-audit, where its data can be reached:
# scripts/audit_dependencies.py says NOT AUDITED rather than "clean" when it cannot). CI runs both
# (.ci/run). What to do when either finds something: README, "Security checks".
BANDIT_PATHS := commissioning tenders social_value citizens grants bench scripts
security: install
	$(VENV)/bin/bandit -q -r $(BANDIT_PATHS) -x '*/migrations/*' --severity-level high
	$(PY) scripts/audit_dependencies.py

lint: install typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs on the paths listed once in pyproject.toml ([tool.mypy] files). Its cache
# (.mypy_cache) makes a run after a small change take a second or two.
typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var static/build node_modules/.installed .pytest_cache .mypy_cache
