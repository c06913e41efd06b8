# The two commands of the README. Each sets up everything it needs on a fresh machine (Python 3.11).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: brief test clean

brief: $(VENV)/.installed
	$(BIN)/briefing build

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e '.[test]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) output .pytest_cache
