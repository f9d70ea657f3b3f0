# Two commands run everything: `make run` (the product on its embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000

.PHONY: run test lint bench-write-path clean

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

run: $(VENV)/.installed-runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_schedules
	$(PY) manage.py ensure_demo_admin
	@echo "Starting web on http://127.0.0.1:$(PORT)/admin/, a Celery worker and beat, and the Vima sandbox"
	@echo "on :8701 that the schedule syncs from every 5 minutes (the first run starts within a minute). Ctrl-C stops all."
	$(VENV)/bin/honcho start -f Procfile.dev -p $(PORT)

# Tests use their own state folder so they never touch the demo's var/.
test: $(VENV)/.installed-test
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

bench-write-path: $(VENV)/.installed-runtime
	$(PY) -m bench.write_path --rows 1000000

clean:
	rm -rf var/test .pytest_cache
