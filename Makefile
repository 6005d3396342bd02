# Two entry points, both safe on a fresh machine: they create .venv and install the project first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test build lint typecheck docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## serve: build the embedded store from data/ if missing or stale, then serve it.
serve: $(STAMP)
	$(BIN)/kg build --if-stale
	$(BIN)/kg serve

## test: run the whole test suite (what CI runs).
test: $(STAMP)
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/kg build

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m kg.ontology_docs

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
