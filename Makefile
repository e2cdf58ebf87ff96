# Sifra — the two commands are `make demo` and `make test`; the rest serve them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install install-dev demo serve test test-postgres test-browser fuzz bench loadtest lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed           ## the app and the `sifra` command in .venv

install-dev: $(VENV)/.installed-dev   ## plus what the tests, linters and benchmarks need

demo: install                         ## demo database (SQLite), the task worker and a server on http://127.0.0.1:8000
	$(BIN)/sifra migrate --noinput
	$(BIN)/sifra demo_data
	@# The task worker (forecasts, heavy calculations, reminders) runs beside the server and stops with it.
	$(BIN)/sifra db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=$${DEBUG:-0} $(BIN)/sifra runserver $(HOST):$(PORT)

test: install-dev                     ## the whole suite on SQLite (browser tests: test-browser; fuzzing: fuzz)
	$(BIN)/pytest -m "not browser and not fuzz" -n 2 -p no:cacheprovider

test-postgres: install-dev            ## the suite against PostgreSQL (DATABASE_URL, default the local server)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sifra} \
	  $(BIN)/pytest -m "not browser and not fuzz" -n 2 -p no:cacheprovider

test-browser: install-dev             ## Playwright in Debian's Chromium (/usr/bin/chromium)
	$(BIN)/pytest -m browser -p no:cacheprovider

fuzz: install-dev                     ## schemathesis against the API's OpenAPI schema (prints requests and server errors)
	$(BIN)/pytest -m fuzz -p no:cacheprovider -q tests/fuzz

bench: install-dev                    ## performance figures: engine, ledger postings, the memo PDF, pages at 2 000 projects (DATABASE_URL)
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/ledger_bench.py
	$(BIN)/python bench/memo_bench.py
	$(BIN)/python bench/forecast_bench.py
	$(BIN)/python bench/pages_bench.py

loadtest: install-dev                 ## 50 users for 60 s against gunicorn on PostgreSQL (locust)
	bash loadtest/run.sh

.PHONY: mutate
mutate: install-dev                   ## mutation testing of the money and the engine (long; MODULES="finance model" for some)
	$(BIN)/python mutation/run.py $(MODULES)

lint: install-dev                     ## ruff, mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sifra config
	$(BIN)/lint-imports

lock:                                 ## re-resolve requirements*.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
