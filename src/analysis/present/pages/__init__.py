"""What each chapter page shows: one function per table, figure or computed sentence, so that a notebook is prose
and one call per output (``chapter.table`` inside them numbers and captions every table).

One module per page, grouped by part of the book so that this floor stays small: :mod:`~.introduction` (Table 1
and the criteria), :mod:`~.labelling` (the keyword chapter); :mod:`~.move` (the securitizing move tested, the
coding's validation, the book's own findings); :mod:`~.contexts` (the historical and geopolitical contexts, and
what the three context chapters share), :mod:`~.domestic` (the domestic context); :mod:`~.reception` (audiences;
success, failure and consequences); :mod:`~.mirror` (US federal documents beside China's); :mod:`~.appendices`
(the ledger, and data and provenance).
"""
