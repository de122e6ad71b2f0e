# Two commands on a fresh machine (Python 3.11+ and make): `make book` and `make test`.
# Each creates .venv if needed, installs the pinned environment, acquires the corpus, then builds / tests.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Offline corpus mirror: a folder with manifest.csv and texts/. Defaults to ../shared/corpus when it exists.
CORPUS_MIRROR ?= $(wildcard ../shared/corpus)
export CORPUS_MIRROR
# Flags for `corpus fetch`; CI sets CORPUS_OFFLINE=1 (no network: cache and mirror only).
# `make data REFRESH=1` tries the network again for documents whose last download failed (warm builds never do).
CORPUS_FETCH_FLAGS ?=
export CORPUS_FETCH_FLAGS
REFRESH ?=
# Sphinx flags for the book: warnings are errors, references are nitpicky.
JB_FLAGS ?= -W -n --keep-going
NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with .nbval_sanitize.cfg
# pytest without its cache; booktools.pytest_plugin loads first and spares jsonschema's IRI grammars (1.2 s each).
PYTEST = $(PY) -m pytest -p no:cacheprovider -p booktools.pytest_plugin
export PYTHONHASHSEED := 0
# Bytecode is cached even where the environment says not to (CI images set PYTHONDONTWRITEBYTECODE=1): otherwise
# pytest rewrites the asserts of every test module and each kernel compiles the analysis package on every run
# (measured: collecting the package tests 8.7 s -> 5.1 s; the __pycache__ folders are git-ignored, and no digest
# of the book reads them).
unexport PYTHONDONTWRITEBYTECODE
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install data status book chapter test format test-package test-notebooks $(TEST_HALVES) notebooks lab lock lint \
        browser-test repro stale-test bench pdf cite-check clean distclean

help:
	@echo "make book            build the HTML book into _build/html (creates .venv, installs, acquires the corpus)"
	@echo "make test            run every test: package tests and nbval over every notebook"
	@echo "make data            put every accepted text into data/raw/ (from CORPUS_MIRROR=$(CORPUS_MIRROR), then official URLs"
	@echo "                     tried once; REFRESH=1 retries failed downloads)"
	@echo "make status          list every manifest document with its status, origin and failure in this build"
	@echo "make chapter NB=notebooks/labelling.ipynb   re-execute one chapter and rebuild the book"
	@echo "make notebooks       re-execute all notebooks and store them clean (outputs only on nbval-check-output cells)"
	@echo "make lab             open the notebooks in JupyterLab with the project's environment as kernel"
	@echo "make lint            ruff over the code (LINT_PATHS): lint rules, import order, layout"
	@echo "make format          apply ruff's fixes and layout"
	@echo "make browser-test | repro | stale-test | bench | pdf    quality gates (see README)"
	@echo "make cite-check      validate CITATION.cff with cffconvert and print it as APA"

$(INSTALLED): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(INSTALLED)

data: $(INSTALLED)
	$(PY) -m analysis corpus fetch $(if $(REFRESH),--refresh) $(CORPUS_FETCH_FLAGS)

status: $(INSTALLED)
	$(PY) -m analysis corpus status

# A no-op when no input changed since the last successful build (content digest of the notebooks, book pages,
# config and TOC, data/ with the acquired texts, the packages, the lock, the mirror, JB_FLAGS, CORPUS_OFFLINE and
# CORPUS_FETCH_FLAGS) and every file it wrote is still there; otherwise (and always with REFRESH=1) acquire the
# corpus, clear stale executions, execute missing notebooks in parallel, then Sphinx (booktools.build).
book: $(INSTALLED)
	@if test -z "$(REFRESH)" && $(PY) -m booktools build --check --flags="$(JB_FLAGS)"; then :; else \
	  $(MAKE) --no-print-directory data && $(PY) -m booktools build --flags="$(JB_FLAGS)"; fi
	@echo "open _build/html/index.html"
	@# A build from synthetic texts (booktools.synthetic_corpus) is never published: say so loudly.
	@if test -f _build/html/SYNTHETIC; then echo "!!!!!!!! SYNTHETIC BUILD: $$(wc -l < _build/html/SYNTHETIC) documents are synthetic" \
	  "stand-ins (_build/html/SYNTHETIC); every page carries a banner. NEVER PUBLISH THIS BUILD. !!!!!!!!"; fi

chapter: data
	@test -n "$(NB)" || { echo "usage: make chapter NB=notebooks/<chapter>.ipynb"; exit 2; }
	@test -f "$(NB)" || { echo "$(NB): no such notebook"; exit 2; }
	$(PY) -m booktools build --flags="$(JB_FLAGS)" --rerun "$(NB)"

# Four pytest processes at once (2 cores; a process waiting on a kernel, a subprocess or a socket leaves its core to
# another): the package tests and nbval over every notebook of the book, each split in two halves by alternate
# files. Every test and every notebook still runs once; --output-sync keeps each process's report whole.
# `make test-package` and `make test-notebooks` run each side in one process. TEST_FILES: every test module, in
# subfolders too (tests/browser/ skips itself outside `make browser-test`).
alternate = $(foreach i,$(shell seq $(1) 2 $(words $(2))),$(word $(i),$(2)))
NOTEBOOKS := book/index.ipynb $(sort $(wildcard notebooks/*.ipynb))
TEST_FILES := $(sort $(shell find tests -name "test_*.py"))
TEST_HALVES := test-package-1 test-package-2 test-notebooks-1 test-notebooks-2
TEST_JOBS ?= 4

test: data
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target $(TEST_HALVES)

test-notebooks-1 test-notebooks-2: test-notebooks-%: $(INSTALLED)
	$(PYTEST) $(NBVAL) $(call alternate,$*,$(NOTEBOOKS))

test-package-1 test-package-2: test-package-%: $(INSTALLED)
	$(PYTEST) $(call alternate,$*,$(TEST_FILES))

test-package: $(INSTALLED)
	$(PYTEST) tests

test-notebooks: $(INSTALLED)
	$(PYTEST) $(NBVAL) $(NOTEBOOKS)

notebooks: data
	$(PY) -m booktools notebooks refresh

lab: data
	$(VENV)/bin/jupyter lab notebooks/

# The full lock (runtime and the `dev` extra: tests, lint) for `make install` and environment.yml; the runtime subset,
# same pins, for Binder (binder/requirements.txt: no test or lint tools).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements.lock
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -c requirements.lock -o binder/requirements.txt
	$(PY) -m booktools environment-yml

# ruff (configured in pyproject.toml): lint rules and import order, and the formatter's layout (`make format` applies it).
LINT_PATHS ?= src tests

lint: $(INSTALLED)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix $(LINT_PATHS)
	$(VENV)/bin/ruff format $(LINT_PATHS)

clean:
	rm -rf _build .cache

distclean: clean
	rm -rf $(VENV) data/raw

# ---------------------------------------------------------------- quality gates (README: "Quality gates")
# Debian packages are installed only when missing (as root, else through sudo).
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get
CHROMIUM ?= /usr/bin/chromium
# texlive-fonts-recommended: the ZapfDingbats metrics (pzdr.tfm) that hyperref's links need under xelatex; a
# machine without it stops with "Font \XeTeXLink@font=pzdr ... not loadable".
PDF_PACKAGES := texlive-xetex texlive-lang-chinese texlive-latex-recommended texlive-latex-extra \
                texlive-fonts-recommended latexmk xindy fonts-freefont-otf

# axe-core (accessibility rules, injected into every page by the browser test): the npm package, pinned,
# installed into the git-ignored .cache/axe (no CDN).
AXE_VERSION := 4.11.0
AXE_JS := .cache/axe/node_modules/axe-core/axe.min.js
$(AXE_JS):
	npm install --prefix .cache/axe --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

# The book in headless Debian Chromium (Playwright), served on 127.0.0.1; screenshots in _build/screenshots/.
browser-test: book $(AXE_JS)
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium ..."; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends chromium >/dev/null; }
	@# Each page's first-visit weight without local CJK fonts is printed after the tests (page_weights.txt).
	BOOK_BROWSER_TEST=1 BOOK_CHROMIUM=$(CHROMIUM) BOOK_HTML=_build/html BOOK_SCREENSHOTS=_build/screenshots BOOK_AXE_JS=$(AXE_JS) \
	  $(PY) -m pytest -p no:cacheprovider -m browser tests/browser; status=$$?; \
	  cat _build/screenshots/page_weights.txt 2>/dev/null || true; exit $$status

# Two clean builds (fresh copies, empty caches) compared byte by byte; scratch in _build/repro/.
repro: data
	$(PY) -m booktools repro --work _build/repro --flags="$(JB_FLAGS)"

# make book against clean builds after random edits, interrupted builds and deleted outputs (a property test on a
# small scratch copy with the shared mirror; several minutes): tests/booktools/test_stale_book.py, scratch in _build/stale-test/.
stale-test: $(INSTALLED)
	BOOK_STALE_TEST=1 $(PYTEST) -s -m stale tests/booktools/test_stale_book.py

# Benchmark (not a test): writes bench/latest.json and bench/latest.md; scratch in _build/bench/.
bench: data
	$(PY) -m booktools bench --work _build/bench --out bench

# PDF through xelatex with Chinese (xeCJK + Fandol fonts): _build/latex/securitization-of-ai-book.pdf
# A failed run removes _build/latex, so the next run starts clean instead of failing on the half-written files.
pdf: data
	@{ command -v xelatex && command -v latexmk && command -v xindy \
	  && kpsewhich xeCJK.sty FandolSong-Regular.otf pzdr.tfm longtable.sty booktabs.sty pdflscape.sty xurl.sty \
	  && fc-list | grep -q FreeSerif; } >/dev/null 2>&1 || { echo "installing TeX Live (xetex, lang-chinese) ..."; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $(PDF_PACKAGES) >/dev/null; }
	$(PY) -m booktools build --builder pdflatex --flags="$(JB_FLAGS)" \
	  || { echo "make pdf failed: removing _build/latex so the next run starts clean"; rm -rf _build/latex; exit 1; }
	$(PY) -m booktools pdf-check _build/latex

# CITATION.cff through cffconvert (validation, then APA). cffconvert 2.0 pins jsonschema<4, which the book's
# environment cannot take, so it gets a venv of its own in the git-ignored .cache/cffconvert (from PyPI).
CFFCONVERT := .cache/cffconvert/bin/cffconvert
$(CFFCONVERT):
	$(PYTHON) -m venv .cache/cffconvert
	.cache/cffconvert/bin/python -m pip install --quiet --disable-pip-version-check cffconvert==2.0.0

cite-check: $(CFFCONVERT)
	$(CFFCONVERT) --validate
	$(CFFCONVERT) -f apalike
