"""What each chapter page shows: one function per table, figure or computed sentence, so that a notebook is prose
and one call per output (``chapter.table`` inside them numbers and captions every table).

Modules group pages so that this floor stays small: :mod:`~analysis.present.pages.appendices` (the ledger and data
and provenance appendices), :mod:`~analysis.present.pages.labelling` (the keyword chapter), :mod:`~analysis.present.pages.validation`
(the coding's validation, in the chapter on the securitizing move), :mod:`~analysis.present.pages.contexts` (the
historical and geopolitical context chapters, and what the three context chapters share) and
:mod:`~analysis.present.pages.domestic` (the domestic context chapter).
"""
