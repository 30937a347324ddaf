# mathpath: `make run` starts the app with the seeded roadmap; `make test` runs every test.
# Needs Python 3.11 (python3.11 on PATH, or PYTHON=/path/to/python3.11).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
DEV_ENV := DEBUG=true

.PHONY: run test lint fix chromium setup-db bench-dashboard bench-map bench-caches bench-diagnostic bench-load clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Migrate, create the cache table, (re)import the curated roadmap, then serve.
# Safe to run again: the import upserts by slug and never touches learner data.
setup-db: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py createcachetable
	$(DEV_ENV) $(BIN)/python manage.py import_roadmap fixtures/math-for-ml.yaml

run: setup-db
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Browser tests need Debian's Chromium; as root we install it, otherwise they skip and say why.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# The suite runs on TEST_WORKERS pytest-xdist processes, each with a database of its
# own; tests that must not run side by side share an xdist_group (--dist loadgroup).
# TEST_WORKERS=0 runs it serially, in one process. PYTEST_ARGS adds pytest options.
# Compiled modules, and pytest's rewritten test modules, are kept in __pycache__/
# (git-ignored) even where PYTHONDONTWRITEBYTECODE is set: otherwise every worker
# compiles them all again on every run.
TEST_WORKERS ?= 2
test: $(STAMP) chromium
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fix: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

bench-dashboard: $(STAMP)
	$(BIN)/python bench/dashboard.py

bench-map: $(STAMP)
	$(BIN)/python bench/map.py

bench-caches: $(STAMP)
	$(BIN)/python bench/caches.py

# The placement diagnostic on 1,000 simulated learners of the shipped roadmap: no database, seconds.
bench-diagnostic: $(STAMP)
	$(BIN)/python bench/diagnostic.py

# Load test: gunicorn + PostgreSQL + wrk, bounded in time. Not part of `make test`.
bench-load: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/load.py
