"""Loaded by ``make test`` with ``-p booktools.pytest_plugin``, before the plugins pytest finds by entry point.

``-p`` plugins are imported first, so this runs before nbval imports nbformat and, through it, jsonschema:
:func:`booktools.build.skip_iri_grammars` spares each pytest process the compilation of ``rfc3987-syntax``'s
grammars (about 1.2 s of CPU). Nothing in the tests checks IRI formats.
"""

from booktools.build import skip_iri_grammars

skip_iri_grammars()
