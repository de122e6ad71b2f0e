"""Quality gates for the book: byte-identical rebuilds, a benchmark, a local server for the browser test.

* :mod:`analysis.quality.workspace`: snapshot the repository into a scratch folder, build the book there
  with the project's environment, and measure a command's wall time and peak memory.
* :mod:`analysis.quality.reproducible`: build twice from clean and compare every output file byte by byte.
* :mod:`analysis.quality.bench`: cold / warm / one-chapter builds, per-notebook execution times, corpus
  and tokenizer throughput, peak memory, and a default Jupyter Book build for comparison.
* :mod:`analysis.quality.serve`: a static HTTP server on 127.0.0.1 (ephemeral port) for the built HTML.

Command line: ``python -m analysis.quality repro | bench | serve`` (the Makefile targets ``repro``,
``bench`` and ``browser-test`` call these).
"""
