# Two commands run everything: `make run` (the product on its embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# The browser the PayShack portal client drives (Debian's package; Playwright never downloads one).
CHROMIUM ?= $(or $(PLAYWRIGHT_CHROMIUM_EXECUTABLE),/usr/bin/chromium)

.PHONY: run test lint screenshot chromium pdf-libs static-libs bench-write-path bench-payshack bench-reconcile clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when a requirements file changed.
$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(PY)
	$(PIP) install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed-runtime

run: $(VENV)/.installed-runtime pdf-libs static-libs
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_schedules
	$(PY) manage.py ensure_demo_admin
	@# A generated loan book with this year's plans (the same files every run: loading them again changes nothing).
	$(PY) manage.py lending demo --seed 1 --size 5000 --year $$(date +%Y) "$${VAR_DIR:-var}/demo-loan-book"
	$(PY) manage.py lending load "$${VAR_DIR:-var}/demo-loan-book"
	@# The demo days are reconciled now (empty at first); as the first syncs bring their transactions,
	@# those dates are reconciled again on their own, so the dashboard shows yesterday's results.
	$(PY) manage.py reconcile --days 3
	@# Likewise the GL reconciliation of yesterday: each posting of the synced days runs it again.
	$(PY) manage.py ledger reconcile
	@# Request and cache counters of the previous run's web processes (prometheus multiprocess files).
	rm -rf "$${VAR_DIR:-var}/prometheus"
	@echo "Starting web on http://127.0.0.1:$(PORT)/admin/, a Celery worker and beat, the Vima sandbox on :8701"
	@echo "and the PayShack sandbox on :8702 (API, and its portal at /portal/login); the schedules sync them every"
	@echo "5 and 10 minutes, the first runs within a minute; the demo days are reconciled again as they arrive."
	@echo "Log in at http://127.0.0.1:$(PORT)/admin/ as the demo admin (its password was printed on the first run). Ctrl-C stops all."
	@# The demo reconciles a date again 30 s after a sync touched it (production waits 5 minutes for quiet).
	@# The ledger posts a synced day 5 s after its first change (production waits 15 s), and reconciles a moved
	@# date again 30 s after (production: 5 minutes).
	RECONCILIATION_RERUN_DELAY_SECONDS=$${RECONCILIATION_RERUN_DELAY_SECONDS:-30} \
	LEDGER_REALTIME_DELAY_SECONDS=$${LEDGER_REALTIME_DELAY_SECONDS:-5} \
	LEDGER_GL_RERUN_DELAY_SECONDS=$${LEDGER_GL_RERUN_DELAY_SECONDS:-30} \
		$(VENV)/bin/honcho start -f Procfile.dev -p $(PORT)

# The portal tests drive a real Chromium: installed here when missing and we may (root), else we say what to do.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Chromium (Debian package chromium) for the PayShack portal tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is not at $(CHROMIUM). Install it (Debian/Ubuntu: sudo apt-get install chromium)" \
				"or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium binary, then run make test again." >&2; \
			exit 1; \
		fi; \
	fi

# WeasyPrint (the reconciliation PDF report) needs Pango and HarfBuzz from the system: installed here when
# missing and we may (root), else we say what to do.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs: $(VENV)/.installed-runtime
	@if ! $(PY) -c "import weasyprint" >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Pango and HarfBuzz (Debian packages $(PDF_LIBS)) for WeasyPrint's PDF reports"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; \
		else \
			echo "WeasyPrint cannot load Pango. Install it (Debian/Ubuntu: sudo apt-get install $(PDF_LIBS))" \
				"and run make again." >&2; \
			exit 1; \
		fi; \
	fi

# The dashboard's chart library (Chart.js) from the npm registry at the version package-lock.json pins, into
# node_modules/ (gitignored), served by Django as static files: the pages never load anything from a CDN.
# Reinstalled only when package.json or package-lock.json changed. npm comes from Debian when missing and we may.
static-libs: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing npm (Debian package npm) for the dashboard's chart library"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
		else \
			echo "npm is missing. Install it (Debian/Ubuntu: sudo apt-get install npm) and run make again." >&2; \
			exit 1; \
		fi; \
	fi
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Tests use their own state folder so they never touch the demo's var/. The linter runs first: a second.
test: $(VENV)/.installed-test chromium pdf-libs static-libs
	$(VENV)/bin/ruff check .
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

# The README's screenshot of the dashboard: the demo on a fresh embedded database of its own.
# Services named in the shell are left out: the picture is of the embedded default, with DEBUG's static files.
SCREENSHOT_ENV := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL DEBUG=true \
	PLAYWRIGHT_CHROMIUM_EXECUTABLE=$(CHROMIUM) VAR_DIR=$(CURDIR)/var/screenshot
screenshot: $(VENV)/.installed-runtime chromium static-libs
	rm -rf var/screenshot
	$(SCREENSHOT_ENV) $(PY) manage.py migrate --noinput
	$(SCREENSHOT_ENV) $(PY) manage.py dashboard_screenshot --out docs/dashboard.png

bench-write-path: $(VENV)/.installed-runtime
	$(PY) -m bench.write_path --rows 1000000

bench-payshack: $(VENV)/.installed-runtime chromium
	$(PY) -m bench.payshack_sync --size 100000

bench-reconcile: $(VENV)/.installed-runtime
	$(PY) -m bench.reconcile --size 1000000

clean:
	rm -rf var/test .pytest_cache
