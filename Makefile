# backcare: `make run` to read the guide locally, `make test` to run every test.
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := DJANGO_DEBUG=1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test superuser chromium bench load check clean

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

# What production runs (requirements.txt) for `make run`; tests and tools add requirements-dev.txt.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_guide
	@echo "Serving backcare at http://127.0.0.1:8000 (admin: http://127.0.0.1:8000/admin/, make superuser)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

superuser: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createsuperuser

# Browser tests drive Debian's Chromium; install it when it is missing (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# axe-core from npm for the accessibility checks in tests/browser (Debian's npm if Node.js is missing).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for axe-core"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund
	touch $@

# PYTEST_ARGS narrows a run, e.g. make test PYTEST_ARGS='-m "not browser"' (CI's PostgreSQL leg).
# PYTEST_WORKERS test processes share the tests (pytest-xdist), each with its own test database,
# live server and browser: one a core; PYTEST_WORKERS=0 runs them all in one process. Work stealing
# keeps both busy to the end (the long browser tests otherwise leave one idle: 198 s against 158 s).
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
test: $(VENV)/.installed-dev chromium $(AXE)
	$(PY) -m pytest --create-db --numprocesses=$(PYTEST_WORKERS) --dist=worksteal $(PYTEST_ARGS)

# The performance budget (speed, queries, phone weight): writes bench/RESULTS.md.
bench: $(VENV)/.installed-dev chromium
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the load measurements"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) scripts/bench.py

# Lighthouse's phone profile on production settings for the pages readers meet first: writes
# bench/LIGHTHOUSE.md. Lighthouse has its own package.json in scripts/lighthouse, installed here only
# (make test never waits for it); it drives Debian's Chromium (never `playwright install`).
LIGHTHOUSE := scripts/lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE): scripts/lighthouse/package.json scripts/lighthouse/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for Lighthouse"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd scripts/lighthouse && npm ci --no-audit --no-fund
	touch $@

.PHONY: lighthouse
lighthouse: $(VENV)/.installed-dev chromium $(LIGHTHOUSE)
	$(PY) scripts/lighthouse/run.py

# Production settings under 100 concurrent connections for 20 s, on 127.0.0.1 (installs wrk if missing).
load: $(VENV)/.installed
	$(PY) scripts/load

check: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 node_modules scripts/lighthouse/node_modules test-artifacts
