# Two entry points: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_DEMO := $(VENV)/.installed-demo
STAMP_DEV  := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck layers pytest docs bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_DEMO): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_DEMO)

demo: $(STAMP_DEMO)
	$(BIN)/sw-volunteer demo

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP_DEV)
	$(BIN)/mypy src/

layers: $(STAMP_DEV)
	$(BIN)/python tools/check_layers.py

pytest: $(STAMP_DEV)
	$(BIN)/python -m pytest -q

# The site is built into site/ (git-ignored); --strict turns every warning into a failure,
# and tools/check_site_roles.py fails on a Sphinx role or an unresolved link left in it.
docs: $(STAMP_DEV)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	$(BIN)/python tools/check_site_roles.py site

test: lint typecheck layers docs pytest

# Every benchmark script at a small size; the lines with a ratio are printed.
bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/run_all.py

# The long fuzzing run (20,000 inputs or more per part); `make test` runs a small one.
fuzz: $(STAMP_DEV)
	$(BIN)/python tools/fuzz.py

clean:
	rm -rf $(VENV) build dist site .mypy_cache .pytest_cache .ruff_cache .hypothesis
