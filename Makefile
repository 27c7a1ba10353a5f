# Two commands: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test install install-test lint format migrate messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/followthrough serve --migrate --demo

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/followthrough check --fail-level WARNING
	$(BIN)/followthrough makemigrations --check --dry-run
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || echo "NOTE: Chromium not found at /usr/bin/chromium: the browser tests will be SKIPPED (apt-get install chromium)."
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/followthrough migrate

# Needs GNU gettext (xgettext) to extract; compiling uses polib, so .mo files are committed.
messages: install
	cd followthrough && ../$(BIN)/followthrough makemessages -l zh_Hans -l nl --no-obsolete
	$(BIN)/followthrough compiletranslations

clean:
	rm -rf $(VENV) var/static
