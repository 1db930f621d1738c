# Two commands for a fresh machine (see README.md):
#   make book   build the book into _build/html
#   make test   run the tests (builds the book from scratch in a temporary folder)
#   make check  the fast tests: data, pipeline, units, page facts, code style (no book build, no
#               browser; for contributors, before each commit)
#   make lab    open the chapters live in JupyterLab
# Each creates .venv and installs the pinned dependencies first, once.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: book test check bench lab chromium clean

$(STAMP): requirements.txt requirements-notebooks.txt requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

book: $(STAMP) chromium
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Open _build/html/index.html in a browser."

chromium:
	@bash scripts/ensure-chromium

test: $(STAMP) chromium
	$(BIN)/python -m pytest

# Every test not marked `build` or `browser` (see tests/conftest.py); a test that would build a
# book or start Chromium without its marker fails here, saying which marker it needs.
check: $(STAMP)
	BACKTOBACK_NO_BUILD=1 $(BIN)/python -m pytest -m "not build and not browser"

# JupyterLab with the chapters opening as notebooks (jupytext) and widgets live.
lab: $(STAMP)
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(BIN)/jupyter lab chapters/

bench: $(STAMP) chromium
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf _build
