"""Build tooling for the book: everything that builds, checks and measures it, none of the analysis.

* :mod:`booktools.cli`: ``python -m booktools <command>`` (the Makefile's book, quality and upkeep targets).
* :mod:`booktools.build`: ``make book``: a no-op when no input changed, notebooks executed in parallel first;
  :mod:`booktools.tokenwarm`: the token cache warmed by the worker processes before a first build's notebooks.
* :mod:`booktools.buildcache`: clear the notebook execution cache when anything a notebook reads changed.
* :mod:`booktools.buildrecord`: the stamp of a successful build with a manifest of ``_build/html``, and the record
  of Sphinx's last completed run (so an interrupted build or a damaged output is never taken for up to date).
* :mod:`booktools.sphinxbuild`: Sphinx's HTML build as ``jupyter-book build`` runs it, without its start-up cost.
* :mod:`booktools.notebooks`: execute chapter notebooks and store them clean (``make notebooks``).
* :mod:`booktools.kernels`: a kernel that dies or stays silent before its first reply starts again; after a code
  edit, the edited notebook's kernel starts before the build knows it needs one.
* :mod:`booktools.envfiles`: render ``environment.yml`` from ``requirements.lock`` (``make lock``).
* :mod:`booktools.sphinxext`: the Sphinx extension named in ``_config.yml`` (CJK font, fast Chinese search);
  :mod:`booktools.webfont`: the CJK web font, subset to the pages' characters (started while the pages are
  written); :mod:`booktools.pdfbook`: the PDF's numbering, folded outputs and table widths;
  :mod:`booktools.numrefs`: each ``{numref}`` target unpickled once per build; :mod:`booktools.numfig`: table and
  figure numbers from a skeleton of each page; :mod:`booktools.bibplugins`: pybtex's plugin lookups read the
  installed entry points once per process.
* :mod:`booktools.fetchhosts`: the publishing workflow's corpus steps (hosts side by side, core texts required).
* :mod:`booktools.workspace`: snapshot the repository into a scratch folder, build the book there with the
  project's environment, and measure a command's wall time and peak memory.
* :mod:`booktools.reproducible`: build twice from clean and compare every output file byte by byte.
* :mod:`booktools.bench`: this book against a default Jupyter Book build, cold, warm and after edits;
  :mod:`booktools.throughput`: corpus loading and tokenizer throughput.
* :mod:`booktools.serve`, :mod:`booktools.site`, :mod:`booktools.pagejs`, :mod:`booktools.sabotage`: the browser
  test's server, its view of the site, the JavaScript it runs in pages, and broken copies that show it fails.
* :mod:`booktools.pdf`: the PDF check (no glyph missing from xelatex's fonts, no box over 20 pt, no colliding cells).

``booktools`` imports :mod:`analysis` (paths, the CJK font); :mod:`analysis` never imports ``booktools``.
"""

from pathlib import Path

__version__ = "0.1.0"
STATIC_DIR: Path = Path(__file__).resolve().parent / "static"  # cjk.css, added to the HTML by the Sphinx extension
