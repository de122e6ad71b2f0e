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
CORPUS_FETCH_FLAGS ?=
# Sphinx flags for the book: warnings are errors, references are nitpicky.
JB_FLAGS ?= -W -n --keep-going
NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with .nbval_sanitize.cfg
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install data status book chapter test test-package test-notebooks notebooks lab lock \
        browser-test repro bench pdf clean distclean

help:
	@echo "make book            build the HTML book into _build/html (creates .venv, installs, acquires the corpus)"
	@echo "make test            run every test: package tests and nbval over every notebook"
	@echo "make data            acquire the corpus (cache, then CORPUS_MIRROR=$(CORPUS_MIRROR), then official URLs)"
	@echo "make status          list every manifest document with its status in this build"
	@echo "make chapter NB=notebooks/02_labelling_ai_as_security.ipynb   re-execute one chapter and rebuild the book"
	@echo "make notebooks       re-execute all notebooks and store them clean (outputs only on nbval-check-output cells)"
	@echo "make lab             open the notebooks in JupyterLab with the project's environment as kernel"
	@echo "make browser-test | repro | bench | pdf    quality gates (see README)"

$(INSTALLED): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(INSTALLED)

data: $(INSTALLED)
	$(PY) -m analysis corpus fetch $(CORPUS_FETCH_FLAGS)

status: $(INSTALLED)
	$(PY) -m analysis corpus status

book: data
	$(PY) -m analysis book check-cache
	$(VENV)/bin/jupyter-book build . $(JB_FLAGS)
	@echo "open _build/html/index.html"

chapter: data
	@test -n "$(NB)" || { echo "usage: make chapter NB=notebooks/<chapter>.ipynb"; exit 2; }
	@test -f "$(NB)" || { echo "$(NB): no such notebook"; exit 2; }
	$(PY) -m analysis book check-cache
	@# Drop the cached outputs of this notebook and mark it changed, so Sphinx re-reads it and MyST-NB re-executes it.
	-@$(VENV)/bin/jcache notebook -p _build/.jupyter_cache invalidate "$(abspath $(NB))" >/dev/null 2>&1
	@touch "$(NB)"
	$(VENV)/bin/jupyter-book build . $(JB_FLAGS)

test: data
	$(PY) -m pytest -p no:cacheprovider $(NBVAL) tests notebooks

test-package: $(INSTALLED)
	$(PY) -m pytest -p no:cacheprovider tests

test-notebooks: $(INSTALLED)
	$(PY) -m pytest -p no:cacheprovider $(NBVAL) notebooks

notebooks: data
	$(PY) -m analysis notebooks refresh

lab: data
	$(VENV)/bin/jupyter lab notebooks/

lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements.lock
	$(PY) -m analysis.envfiles

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
	BOOK_BROWSER_TEST=1 BOOK_CHROMIUM=$(CHROMIUM) BOOK_HTML=_build/html BOOK_SCREENSHOTS=_build/screenshots BOOK_AXE_JS=$(AXE_JS) \
	  $(PY) -m pytest -p no:cacheprovider -m browser tests/browser

# Two clean builds (fresh copies, empty caches) compared byte by byte; scratch in _build/repro/.
repro: data
	$(PY) -m analysis.quality repro --work _build/repro --flags="$(JB_FLAGS)"

# Benchmark (not a test): writes bench/latest.json and bench/latest.md; scratch in _build/bench/.
bench: data
	$(PY) -m analysis.quality bench --work _build/bench --out bench

# PDF through xelatex with Chinese (xeCJK + Fandol fonts): _build/latex/securitization-of-ai-book.pdf
# A failed run removes _build/latex, so the next run starts clean instead of failing on the half-written files.
pdf: data
	@{ command -v xelatex && command -v latexmk && command -v xindy \
	  && kpsewhich xeCJK.sty FandolSong-Regular.otf pzdr.tfm longtable.sty booktabs.sty \
	  && fc-list | grep -q FreeSerif; } >/dev/null 2>&1 || { echo "installing TeX Live (xetex, lang-chinese) ..."; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $(PDF_PACKAGES) >/dev/null; }
	$(PY) -m analysis book check-cache
	$(VENV)/bin/jupyter-book build . --builder pdflatex $(JB_FLAGS) \
	  || { echo "make pdf failed: removing _build/latex so the next run starts clean"; rm -rf _build/latex; exit 1; }
	$(PY) -m analysis.quality pdf-check _build/latex
