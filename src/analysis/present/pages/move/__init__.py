"""The chapters on the securitizing move: the move tested (``securitizing_move``), the coding's validation
(``validation``) and the book's own findings (``beyond``)."""
