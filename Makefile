# The two commands of the README: `make book` and `make test`.
# Each creates the virtual environment in .venv/ when it is missing or stale.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
# -W: warnings are errors; -n: nitpicky (every cross-reference must resolve).
JB_FLAGS := -W -n --keep-going

.PHONY: book test test-fast lint execute bench lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[torch,book,test]"
	touch $@

## book: build the HTML book into _build/html (renders the stored, executed notebooks)
book: $(STAMP)
	$(JB) build . $(JB_FLAGS)

## test: lint, build the book with warnings as errors, then every pytest check
## (package tests, errata checks, built-HTML checks, and nbval over every notebook)
test: $(STAMP)
	$(BIN)/ruff check kl tests benchmarks book
	$(JB) build . $(JB_FLAGS)
	$(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -q

## test-fast: package tests only, for quick iteration
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -q -m "not slow"

## execute: re-run every notebook in place (after changing code or prose cells)
execute: $(STAMP)
	$(BIN)/python tests/execute_notebooks.py

## bench: speed comparison against scipy and torch (prints ratios)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_discrete.py

## lock: re-resolve the pins into requirements.lock
lock:
	rm -rf /tmp/kl-lock-venv && $(PYTHON) -m venv /tmp/kl-lock-venv
	/tmp/kl-lock-venv/bin/pip install --quiet -e ".[torch,book,test]"
	/tmp/kl-lock-venv/bin/pip freeze --exclude-editable | sed 's/+cpu$$//' > requirements.lock

clean:
	rm -rf _build
