# One venv, one install step; every target depends on it so a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BRIEF ?= examples/briefs/retail-churn.md

.PHONY: setup run test lint eval bench clean

setup: $(VENV)/.installed

# The last step compiles bytecode: an editable install has none, and PYTHONDONTWRITEBYTECODE (set on many
# CI machines) keeps Python from writing it, so each start would compile every module (about 0.15 s).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q advisor tui > /dev/null
	touch $@

run: setup
	$(BIN)/advisor chat --brief $(BRIEF)

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check advisor
	$(BIN)/mypy

eval: setup
	$(BIN)/advisor eval

bench: setup
	$(BIN)/python benchmarks/bench_assess.py
	$(BIN)/python benchmarks/bench_interview.py
	$(BIN)/python benchmarks/bench_chat.py
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
