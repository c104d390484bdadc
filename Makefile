# Chronicle: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CHRONICLE_VAR_DIR ?= $(CURDIR)/var

.DEFAULT_GOAL := help
.PHONY: help run install assets demo test lint types migrations-check audit-deps pytest pytest-postgres benchmarks clean

help: ## List the make targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Chronicle needs Python 3.11 or newer: set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

chronicle/static/build/chronicle.css: node_modules/.installed scss/chronicle.scss scripts/build-assets.mjs
	npm run --silent build

install: $(BIN)/.installed node_modules/.installed chronicle/static/build/chronicle.css ## Install the locked Python and npm dependencies and build the GOV.UK assets

run: install ## Install, migrate, load the demo partnership and serve on http://127.0.0.1:8000
	CHRONICLE_DEMO=true CHRONICLE_HTTPS=false $(BIN)/chronicle migrate --verbosity 0
	CHRONICLE_DEMO=true CHRONICLE_HTTPS=false $(BIN)/chronicle demo
	CHRONICLE_DEMO=true CHRONICLE_HTTPS=false $(BIN)/chronicle serve

demo: install ## Load (or refresh) the demo partnership without serving
	CHRONICLE_DEMO=true $(BIN)/chronicle migrate --verbosity 0
	CHRONICLE_DEMO=true $(BIN)/chronicle demo

lint: install ## ruff (lint and formatting) and the import floors (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: install ## mypy (strict on the functional core, the services and the access checks)
	CHRONICLE_DEMO=true $(BIN)/mypy chronicle

migrations-check: install ## Fail if a model change has no migration
	CHRONICLE_DEMO=true $(BIN)/chronicle makemigrations --check --dry-run

audit-deps: install ## pip-audit the locked dependencies; fails on known vulnerabilities, and (CHRONICLE_REQUIRE_DEPENDENCY_AUDIT=true) when nothing could be audited
	$(BIN)/python scripts/audit_deps.py requirements.lock

# Tests run on every core (pytest-xdist; each worker has its own test database). Tests that cannot
# depend on the database run once, on SQLite: the functional core's and the offline commands' (no
# database at all) and the browser tests (the pages they drive are the same on both). Running them
# twice would take CI past its time budget. Everything else, races included, runs on both databases.
PYTEST_WORKERS ?= auto

pytest: install ## The whole pytest suite on SQLite, browser tests included
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

pytest-postgres: install ## Every test that touches the database, on a throwaway PostgreSQL cluster
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not browser" \
		--ignore=tests/core --ignore=tests/offline

test: lint types migrations-check audit-deps pytest pytest-postgres ## Everything CI runs: lint, types, migrations, dependency audit, tests on SQLite and PostgreSQL

benchmarks: install ## Print the performance figures recorded in docs/performance.md
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean: ## Remove the virtualenv, node_modules, built assets and local data
	rm -rf $(VENV) node_modules chronicle/static/build var
