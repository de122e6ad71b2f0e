"""What each chapter page shows: one function per table, figure or computed sentence, so that a notebook is prose
and one call per output (``chapter.table`` inside them numbers and captions every table).

Modules group pages so that this floor stays small: :mod:`~analysis.present.pages.appendices` (the ledger and data
and provenance appendices), :mod:`~analysis.present.pages.labelling` (the keyword chapter), :mod:`~analysis.present.pages.validation`
(the coding's validation, in the chapter on the securitizing move).

The chapters of sections 4 to 6 and the mirror: :mod:`~analysis.present.pages.audiences` (section 4),
:mod:`~analysis.present.pages.consequences` (sections 5–6), :mod:`~analysis.present.pages.mirror` (US federal
documents beside China's).
"""
