# The two commands of the README. Each sets up everything it needs on a fresh machine (Python 3.11).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

# Programs the document tests run (they fail, never skip, without them): poppler (pdftotext, pdffonts,
# pdftoppm), qpdf, LibreOffice Writer (soffice), pandoc, and headless Chromium with its WebDriver (the
# HTML page's browser test); and a CJK font fontconfig finds (Droid Sans Fallback), which the PDF falls
# back to. Installed with apt-get when one is missing.
TOOLS    := pdftotext pdffonts pdftoppm qpdf soffice pandoc fc-list chromium chromedriver
PACKAGES := poppler-utils qpdf libreoffice-writer-nogui pandoc fontconfig fonts-droid-fallback chromium chromium-driver

.PHONY: brief test bench quality clean tools

brief: $(VENV)/.installed
	$(BIN)/briefing build

test: $(VENV)/.installed-test tools
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

tools:
	@for tool in $(TOOLS); do command -v $$tool >/dev/null || missing=1; done; \
	[ -n "$$(fc-list ':charset=4e2d' file 2>/dev/null)" ] || missing=1; \
	if [ -n "$$missing" ]; then \
		echo "installing $(PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PACKAGES) >/dev/null; \
	fi

# Not part of `make test`: times builds of synthetic corpora of 100, 1,000 and 10,000 articles.
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/scale.py $(BENCH_ARGS)

# Not part of `make test`: facts per themes file on seeds/, ROUGE on MultiLing 2011 (bench/quality.py).
quality: $(VENV)/.installed-bench
	$(BIN)/python bench/quality.py $(QUALITY_ARGS)

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e '.[bench,test]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

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
