# Two entry points, both safe on a fresh machine: they create .venv and install the project first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
# Where `make national` copies the reference sources from; empty means download from the publishers.
MIRROR ?=

.PHONY: serve test build national lint typecheck docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies only (serving); the dev stamp adds test, lint and docs tools.
$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUNTIME_STAMP)

## serve: build the embedded store from data/ if missing or stale, then serve it (runtime deps only).
serve: $(RUNTIME_STAMP)
	$(BIN)/kg build --if-stale
	$(BIN)/kg serve

## test: run the whole test suite (what CI runs).
test: $(STAMP)
	$(BIN)/python -m pytest

build: $(RUNTIME_STAMP)
	$(BIN)/kg build

## national: fetch the reference sources (MIRROR=../shared/data copies them), import all, export.
national: $(RUNTIME_STAMP)
	$(BIN)/kg fetch --no-progress $(if $(MIRROR),--from $(MIRROR))
	$(BIN)/kg import all --no-progress
	$(BIN)/kg export

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/kg docs

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

## bench: run every benchmark (bench/all.py) and print one table of goals, figures and verdicts;
## NATIONAL=path/to/store adds the benches on the national graph (`make national` builds var/store).
NATIONAL ?=
bench: $(STAMP)
	$(BIN)/python bench/all.py $(if $(NATIONAL),--national $(NATIONAL))
