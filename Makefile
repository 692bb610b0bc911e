# jokesite: `make run` serves the site on 127.0.0.1:$(PORT); `make test` is what CI runs.
# Everything lives in ./.venv, built on first use and refreshed when pyproject.toml changes.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k vote -x"`.
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core by default; `PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# `make test BROWSER=0` skips the Playwright tests (for a machine without Chromium).
BROWSER ?= 1

export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Every target here is development: the development SECRET_KEY, console email, DEBUG pages.
# Without DJANGO_DEBUG=1 the settings refuse to start without a SECRET_KEY of their own.
export DJANGO_DEBUG ?= 1

.DEFAULT_GOAL := help
.PHONY: help venv install run messages makemessages gettext-deps test pytest check-browser \
	browser-deps lint fmt clean

help:
	@echo "make run            install, migrate, load the demo thread, serve on 127.0.0.1:$(PORT)"
	@echo "                    (with the task worker that sends notification emails)"
	@echo "make test           lint + the whole test suite (browser tests need $(CHROMIUM))"
	@echo "make lint / fmt     check / fix formatting (ruff, djhtml), the app layers (import-linter)"
	@echo "                    and missing migrations"
	@echo "make browser-deps   apt-get install Chromium and CJK fonts (as root)"
	@echo "make makemessages   collect new interface strings into jokesite/locale/*/django.po"
	@echo "make clean          remove .venv, caches and test output (keeps db.sqlite3)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the stamp, so a second `make run` is instant.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

venv install: $(STAMP)

# Compiles the .po catalogues (jokesite/locale) into the .mo files Django reads: built here, not
# committed. gettext's msgfmt does it; when it is missing, it is installed with apt-get if make
# runs as root (as check-browser does for Chromium), else a warning says the site stays English.
messages: $(STAMP)
	@if [ -n "$$(find . -path ./$(VENV) -prune -o -name '*.po' -print -quit)" ]; then \
		if ! command -v msgfmt >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
				&& command -v apt-get >/dev/null 2>&1; then \
			echo "Installing gettext to compile the translations (once)"; \
			$(MAKE) --no-print-directory gettext-deps; \
		fi; \
		if command -v msgfmt >/dev/null 2>&1; then \
			$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v 0; \
		else \
			echo "WARNING: msgfmt (gettext) is not installed: translations not compiled, so the"; \
			echo "  site shows English only and tests/test_i18n.py is skipped."; \
			echo "  Install it:  sudo make gettext-deps   (or: sudo apt-get install gettext)"; \
		fi; \
	fi

gettext-deps:
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends gettext

# After changing interface text: collect it, translate the new entries in the .po file (no empty
# or fuzzy ones: tests/test_i18n.py checks), then `make messages`. Same options as that test.
makemessages: $(STAMP)
	$(MANAGE) makemessages -l zh_Hans --ignore=$(VENV) --ignore=node_modules \
		--ignore=staticfiles --ignore=tests --no-obsolete --add-location=file

# The task worker (notification emails, whose links point at $(PORT)) runs beside the server
# and stops with it (Ctrl+C).
run: $(STAMP) messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	PORT=$(PORT) $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

test: lint pytest

pytest: $(STAMP) messages check-browser
ifeq ($(BROWSER),0)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not browser" $(PYTEST_ARGS)
else
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal --screenshot=only-on-failure $(PYTEST_ARGS)
endif

check-browser:
ifneq ($(BROWSER),0)
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's Chromium for the browser tests (once)"; \
		$(MAKE) --no-print-directory browser-deps; \
	fi
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "The browser tests drive Debian's Chromium at $(CHROMIUM), which is not installed."; \
		echo "  Install it:      sudo make browser-deps"; \
		echo "  Or skip them:    make test BROWSER=0"; \
		exit 1; \
	fi
endif

browser-deps:
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates

clean:
	rm -rf $(VENV) test-results staticfiles .pytest_cache .ruff_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
