# The two commands of README.md: `make run` and `make test`. Both set up what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# npm ci writes this file: axe-core, pinned by package-lock.json, for the accessibility audit.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: run test lint benchmark browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Development server: DEBUG on (off by default, as in production), demo data.
run: export DEBUG = 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium manque : sudo apt-get install -y chromium"; exit 1; fi; }

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "npm manque : sudo apt-get install -y nodejs npm"; exit 1; fi; }
	npm ci --no-audit --no-fund

test: $(STAMP) $(NODE_STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Not part of `make test`: minutes of PostgreSQL and gunicorn. Options: make benchmark ARGS="--rebuild".
benchmark: $(STAMP)
	$(BIN)/python -m benchmarks.run $(ARGS)
