# AL-LAs Campus — `make run` serves the demo, `make test` runs the whole suite.
# Both create .venv and install the project first; nothing else is needed but Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1
STAMP  := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
export DJANGO_SETTINGS_MODULE ?= allas_site.settings.dev
# The public address links are built on (and load_demo gives the Wagtail Site): the
# server `make run` starts, unless BASE_URL is set.
export BASE_URL ?= http://$(HOST):$(PORT)


.PHONY: install setup run debug test lint check bench loadtest translations messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable . --group dev --group bench > $(VENV)/install.log 2>&1 \
		|| (tail -30 $(VENV)/install.log; exit 1)
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(MANAGE) compile_translations

setup: install translations
	$(MANAGE) migrate --no-input

# The platform as visitors see it: its own 404 and 500 pages, never Django's debug pages.
run: setup
	$(MANAGE) load_demo
	@echo "AL-LAs Campus on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=0 $(BIN)/uvicorn allas_site.asgi:application --host $(HOST) --port $(PORT) --ws websockets-sansio

# For developers: the same with Django's debug pages (tracebacks, URL lists) on.
debug: setup
	$(MANAGE) load_demo
	DEBUG=1 $(BIN)/uvicorn allas_site.asgi:application --host $(HOST) --port $(PORT) \
		--ws websockets-sansio --reload --reload-dir site --reload-dir courses --reload-dir community

test: install translations
	@sh scripts/ensure-chromium.sh
	DJANGO_SETTINGS_MODULE=allas_site.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=allas_site.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml

check: lint test

bench: setup
	DJANGO_SETTINGS_MODULE=allas_site.settings.dev $(BIN)/python benchmarks/run.py

# Its own PostgreSQL, Redis and two production uvicorn processes on loopback; about 5 min.
# LOADTEST_ARGS="--users 40 --sockets 100 --duration 30 --no-outage" for a smaller run.
loadtest: install translations
	$(BIN)/python benchmarks/loadtest.py $(LOADTEST_ARGS)

messages: install
	$(MANAGE) makemessages -l en -l fr -l pt --no-obsolete --ignore ".venv/*" --ignore "var/*" \
		--ignore "site/static/*" --ignore "benchmarks/*" --ignore "tests/*"

clean:
	rm -rf $(VENV) var db.sqlite3*
